package dev.imdbstream.trainer.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Typed configuration of the trainer service (prefix {@code trainer}). */
@ConfigMapping(prefix = "trainer")
public interface TrainerConfig {

    Kafka kafka();

    Runs runs();

    Data data();

    Report report();

    Experiments experiments();

    Api api();

    /**
     * Exit with status 1 when the job consumer or the study view dies of an error, so that an orchestrator restarts
     * the trainer; false keeps the process up with its health DOWN (tests).
     */
    @WithDefault("true")
    boolean exitOnFailure();

    interface Kafka {
        /** Kafka bootstrap servers of every client of the service. */
        @WithDefault("${kafka.bootstrap.servers:localhost:9092}")
        String bootstrapServers();

        /** Consumer group of the trainer instances on training.jobs: instances of one group share the runs. */
        @WithDefault("imdb-trainer")
        String groupId();

        /** Creates missing topics at startup with the shared library's settings. */
        @WithDefault("true")
        boolean createTopics();

        /** Replication factor of topics created at startup. */
        @WithDefault("1")
        short replicationFactor();

        /** Bound of every blocking Kafka call (metadata, commit, listing offsets) but a send's delivery. */
        @WithDefault("60s")
        Duration requestTimeout();

        /**
         * How long the producer retries a record while the broker is unreachable before the run gives up on this
         * attempt (and is retried itself, from its checkpoint).
         */
        @WithDefault("10m")
        Duration deliveryTimeout();

        /**
         * Static membership of the job consumer ({@code group.instance.id}), unique per instance: e.g. the pod name
         * of a StatefulSet. Empty: dynamic membership.
         */
        Optional<String> groupInstanceId();

        /**
         * How long the group waits for a silent member of the job consumer before it gives its jobs to another
         * ({@code session.timeout.ms}; empty: Kafka's default). A static member that comes back within it keeps its
         * partitions and resumes its runs from its own checkpoints.
         */
        Optional<Duration> sessionTimeout();
    }

    interface Runs {
        /** Takes jobs from training.jobs; false makes an instance that only serves the API and reports. */
        @WithDefault("true")
        boolean enabled();

        /** Runs trained at the same time by this instance (one thread each; OMP_NUM_THREADS=1 pays off on 2 cores). */
        @WithDefault("2")
        int parallel();

        /** Folder of the per-run checkpoints (latest epoch with optimizer state, and the best weights). */
        @WithDefault("runs/checkpoints")
        Path checkpointDir();

        /** Keeps the latest-epoch checkpoint after a run succeeded (the best weights are always kept). */
        @WithDefault("false")
        boolean keepLatestCheckpoint();

        /** Batch size of validation and test inference. */
        @WithDefault("256")
        int evalBatchSize();

        /** Points of the precision-recall curve kept in a result (down-sampled from every threshold). */
        @WithDefault("200")
        int prCurvePoints();

        /** Code revision recorded in each artifact's provenance; empty asks git, then the build. */
        Optional<String> codeRevision();

        /** First wait before a run that failed for the infrastructure (Kafka unreachable) is tried again. */
        @WithDefault("5s")
        Duration retryDelay();

        /** Longest wait between two tries of such a run (the waits double up to it; the tries never stop). */
        @WithDefault("60s")
        Duration retryMaxDelay();

        /**
         * Attempts at a run during which the trainer process died (killed, out of memory) before the run is published
         * as FAILED instead of being tried again: a run that kills its trainer must not do so forever.
         */
        @WithDefault("3")
        int maxCrashes();
    }

    interface Data {
        /** How long a run waits for its data set manifest on imdb.vocab before failing as missing data. */
        @WithDefault("10m")
        Duration manifestTimeout();

        /** Data sets kept decoded in memory (each split of 25k reviews of length 150 is about 15 MB). */
        @WithDefault("2")
        int cachedDatasets();

        /** Embedding used by the {@code glove} variant when the manifest lists several GloVe matrices. */
        @WithDefault("glove.6B.100d")
        String gloveEmbedding();
    }

    interface Report {
        /** Folder under which each experiment's report folder is written. */
        @WithDefault("reports")
        Path dir();
    }

    interface Experiments {
        /** Subset sizes of an experiment whose request names none (the notebook's). */
        @WithDefault("100,500,1000")
        List<Integer> sizes();

        /** Variants of an experiment whose request names none. */
        @WithDefault("random,glove")
        List<String> variants();

        /** Seeds of an experiment whose request names none. */
        @WithDefault("1")
        List<Long> seeds();

        /** What one experiment (and each job read from training.jobs) may ask for at most. */
        Limits limits();
    }

    interface Limits {
        /** Runs of one experiment (subset sizes x variants x seeds). */
        @WithDefault("60")
        int maxRuns();

        /** Labelled reviews in a run's training subset (IMDB has 25,000 training reviews). */
        @WithDefault("25000")
        int maxSubsetSize();

        /** Epochs of a run. */
        @WithDefault("100")
        int maxEpochs();

        /** Mini-batch size. */
        @WithDefault("1024")
        int maxBatchSize();

        /** Validation reviews, and test reviews evaluated (0, all of them, is allowed). */
        @WithDefault("25000")
        int maxEvaluationSize();
    }

    interface Api {
        /**
         * Who may {@code POST} and {@code DELETE /experiments}: {@code authenticated} (a bearer token of {@code tokens})
         * or {@code permit} (anyone who reaches the port: only for a trainer bound to the loopback interface, as the
         * local run's). Read only GETs stay open.
         */
        @WithDefault("authenticated")
        String auth();

        /**
         * Bearer tokens accepted ({@code Authorization: Bearer <token>}), comma-separated, 16 characters or more
         * each; callers are logged as {@code token-1}, {@code token-2}, ... in their order here. None: every write is
         * refused until one is set.
         */
        Optional<List<String>> tokens();
    }
}
