package dev.imdbstream.trainer;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

import dev.imdbstream.model.cpu.BlasKernel;
import dev.imdbstream.trainer.config.TrainerConfig;
import dev.imdbstream.trainer.kafka.TopicAdmin;
import dev.imdbstream.trainer.run.JobConsumer;
import dev.imdbstream.trainer.study.StudyMetrics;
import dev.imdbstream.trainer.study.StudyView;

/**
 * Starts the service's Kafka loops in order (topics, then the view with the study's gauges listening, then the jobs)
 * and stops them in reverse.
 */
@ApplicationScoped
public class Lifecycle {

    private static final Logger LOG = Logger.getLogger(Lifecycle.class);

    private final TrainerConfig config;
    private final TopicAdmin topics;
    private final StudyView view;
    private final StudyMetrics study;
    private final JobConsumer jobs;

    public Lifecycle(TrainerConfig config, TopicAdmin topics, StudyView view, StudyMetrics study, JobConsumer jobs) {
        this.config = config;
        this.topics = topics;
        this.view = view;
        this.study = study;
        this.jobs = jobs;
    }

    void onStart(@Observes StartupEvent event) throws InterruptedException {
        BlasKernel.report();
        if (config.kafka().createTopics()) {
            topics.ensureTopics();
        }
        study.start();
        view.start();
        if (config.runs().enabled()) {
            jobs.start();
        }
        LOG.infof("trainer started on %s: %d run(s) in parallel, checkpoints in %s, reports in %s",
                config.kafka().bootstrapServers(), config.runs().parallel(),
                config.runs().checkpointDir().toAbsolutePath(), config.report().dir().toAbsolutePath());
    }

    void onStop(@Observes ShutdownEvent event) {
        jobs.stop();
        view.stop();
    }
}
