package dev.imdbstream.trainer;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

import dev.imdbstream.trainer.config.TrainerConfig;
import dev.imdbstream.trainer.run.JobConsumer;
import dev.imdbstream.trainer.study.StudyView;

/** {@code /q/health}: up while the topic view and (when enabled) the job consumer are running. */
@Liveness
@Readiness
@ApplicationScoped
public class TrainerHealthCheck implements HealthCheck {

    private final StudyView view;
    private final JobConsumer jobs;
    private final TrainerConfig config;

    public TrainerHealthCheck(StudyView view, JobConsumer jobs, TrainerConfig config) {
        this.view = view;
        this.jobs = jobs;
        this.config = config;
    }

    @Override
    public HealthCheckResponse call() {
        boolean consuming = config.runs().enabled();
        return HealthCheckResponse.named("trainer-kafka")
                .status(view.healthy() && (!consuming || jobs.healthy()))
                .withData("studyView", view.healthy())
                .withData("jobConsumer", consuming ? String.valueOf(jobs.healthy()) : "disabled")
                .build();
    }
}
