package dev.imdbstream.trainer.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.imdbstream.common.schema.Hyperparameters;
import dev.imdbstream.common.schema.TrainingJob;

class JobOrderTest {

    private static TrainingJob job(String experiment, int size, long seed, long createdAtMs) {
        return new TrainingJob(TrainingJob.VERSION, TrainingJob.jobId(experiment, "random", size, seed), experiment,
                "d1", "random", size, seed, Hyperparameters.notebook(), createdAtMs);
    }

    @Test
    void shouldStartTheLargestSubsetsFirstThenTheOlderExperiment() {
        TrainingJob small = job("a", 100, 1, 10);
        TrainingJob mid = job("a", 500, 1, 10);
        TrainingJob largeA1 = job("a", 1000, 1, 10);
        TrainingJob largeA2 = job("a", 1000, 2, 10);
        TrainingJob largeB = job("b", 1000, 1, 5);
        List<TrainingJob> jobs = new ArrayList<>(List.of(small, largeA2, mid, largeA1, largeB));
        jobs.sort(JobConsumer.ORDER);
        assertThat(jobs).containsExactly(largeB, largeA1, largeA2, mid, small);
    }
}
