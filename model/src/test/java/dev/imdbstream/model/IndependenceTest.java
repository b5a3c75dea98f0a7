package dev.imdbstream.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;

/** Runs built and trained at the same time in different threads must not share state. */
class IndependenceTest {

    @Test
    void shouldTrainTwoSeededRunsInParallelExactlyAsOneAfterTheOther() throws Exception {
        float[] aAlone = run(101, null);
        float[] bAlone = run(202, null);

        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            CyclicBarrier start = new CyclicBarrier(2);
            Future<float[]> a = pool.submit(() -> run(101, start));
            Future<float[]> b = pool.submit(() -> run(202, start));

            assertThat(a.get(2, TimeUnit.MINUTES)).containsExactly(aAlone);
            assertThat(b.get(2, TimeUnit.MINUTES)).containsExactly(bAlone);
        } finally {
            pool.shutdownNow();
        }
        assertThat(aAlone).isNotEqualTo(bAlone);
    }

    /** Builds, trains a few steps (dropout on) and returns the parameters. */
    private static float[] run(long seed, CyclicBarrier start) throws Exception {
        if (start != null) {
            start.await(1, TimeUnit.MINUTES);
        }
        NetworkConfig config = TestData.tiny(EmbeddingVariant.RANDOM).withOptimizer(0.01, 0.004);
        MultiLayerNetwork net = SentimentNetwork.build(config, seed, null);
        int[][] tokens = TestData.randomSequences(8, 10, config.vocabSize(), 5, 4);
        int[] labels = {1, 0, 1, 0, 0, 1, 1, 0};
        for (int step = 0; step < 5; step++) {
            Training.fit(net, Batches.dataSet(tokens, labels, 0));
        }
        return net.params().dup().data().asFloat();
    }
}
