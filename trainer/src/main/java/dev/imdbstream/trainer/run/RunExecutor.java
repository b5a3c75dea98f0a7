package dev.imdbstream.trainer.run;

import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.smallrye.faulttolerance.api.TypedGuard;

import dev.imdbstream.common.kafka.KafkaFaults;
import dev.imdbstream.common.kafka.Topics;
import dev.imdbstream.common.schema.EmbeddingMatrix;
import dev.imdbstream.common.schema.EpochMetrics;
import dev.imdbstream.common.schema.ExperimentCancellation;
import dev.imdbstream.common.schema.ModelArtifact;
import dev.imdbstream.common.schema.TrainingJob;
import dev.imdbstream.common.schema.TrainingResult;
import dev.imdbstream.common.schema.TrainingResult.TestMetrics;
import dev.imdbstream.common.schema.VocabularyRecord;
import dev.imdbstream.common.text.Vocabulary;
import dev.imdbstream.model.Inference;
import dev.imdbstream.model.ModelArtifacts;
import dev.imdbstream.model.sentence.SentenceLogisticModel;
import dev.imdbstream.model.sentence.TfidfSentenceModel;
import dev.imdbstream.model.tfidf.TfidfLogisticModel;
import dev.imdbstream.trainer.config.TrainerConfig;
import dev.imdbstream.trainer.data.DataException;
import dev.imdbstream.trainer.data.DatasetLoader;
import dev.imdbstream.trainer.data.RunData;
import dev.imdbstream.trainer.data.Variant;
import dev.imdbstream.trainer.kafka.KafkaClients;
import dev.imdbstream.trainer.run.Cancellation.CancelledException;
import dev.imdbstream.trainer.run.RunTrainer.RunFailedException;
import dev.imdbstream.trainer.study.StudyView;

/**
 * Runs training jobs on {@code trainer.runs.parallel} threads, one run a thread from data to result:
 * skips a job whose result is already on {@code training.results}, waits for its data set, trains
 * ({@link RunTrainer}) while publishing each epoch to {@code training.metrics} (key: job id), evaluates the
 * best weights once on the test set, then publishes the serving artifact to {@code models} (key: model id)
 * and the outcome to {@code training.results} (key: job id). Any failure of the run itself (missing data, bad
 * record, NaN loss, out of memory, a run that killed its trainer {@code trainer.runs.max-crashes} times) is published as
 * a FAILED result with its reason; the other runs go on. A failure of the infrastructure (Kafka unreachable or not
 * answering) is not the run's: the run is tried again, from its last checkpoint, with growing waits between the
 * tries ({@code trainer.runs.retry-delay} up to {@code retry-max-delay}; {@code trainer_runs_retries_total}) until it
 * succeeds or its job is taken away. A run of a cancelled experiment ({@code training.cancellations}, read by every
 * instance's {@link StudyView}) stops at its next mini-batch, or does not start, and ends with a CANCELLED result: it is
 * never retried. A job outside this trainer's limits ({@code trainer.experiments.limits}) fails without training.
 */
@ApplicationScoped
public class RunExecutor {

    private static final Logger LOG = Logger.getLogger(RunExecutor.class);

    private final TrainerConfig config;
    private final KafkaClients clients;
    private final StudyView view;
    private final DatasetLoader loader;
    private final RunMetrics metrics;
    private final ExecutorService pool;
    private final Map<String, ReentrantLock> jobLocks = new ConcurrentHashMap<>();
    private final Set<String> active = ConcurrentHashMap.newKeySet();
    /** Runs submitted to this instance and not ended, by job id: what a cancellation of their experiment stops. */
    private final Map<String, Runs> submitted = new ConcurrentHashMap<>();
    private final ExperimentLimits limits;
    private final String codeRevision;

    private record Runs(TrainingJob job, Cancellation cancellation) {
    }

    public RunExecutor(TrainerConfig config, KafkaClients clients, StudyView view, DatasetLoader loader,
            RunMetrics metrics, ExperimentLimits limits) {
        this.config = config;
        this.clients = clients;
        this.view = view;
        this.loader = loader;
        this.metrics = metrics;
        this.limits = limits;
        view.onCancellation(this::withdraw);
        AtomicInteger n = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(config.runs().parallel(), r -> {
            Thread t = new Thread(r, "run-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.codeRevision = config.runs().codeRevision().filter(s -> !s.isBlank()).orElseGet(CodeRevision::detect);
    }

    /**
     * Trains a job on the pool.
     *
     * @return completes with true when the job's result is on training.results (published now or before),
     *         false when the run was cancelled; exceptionally when not even a FAILED result could be published
     */
    public CompletableFuture<Boolean> submit(TrainingJob job, Cancellation cancellation) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return run(job, cancellation);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            } catch (Exception e) {
                throw new CompletionException(e);
            }
        }, pool);
    }

    boolean run(TrainingJob job, Cancellation cancellation) throws Exception {
        // The same job delivered twice to this instance: the second waits and then finds the result.
        ReentrantLock lock = jobLocks.computeIfAbsent(job.jobId(), k -> new ReentrantLock());
        lock.lock();
        // Registered before the first look at the cancellations: a cancellation read later finds it here.
        submitted.put(job.jobId(), new Runs(job, cancellation));
        try {
            Checkpoints checkpoints = new Checkpoints(config.runs().checkpointDir(), job.jobId());
            return retried(job).call(() -> attempt(job, checkpoints, cancellation));
        } catch (CancelledException e) {
            LOG.infof("%s: stopped (%s); its checkpoint stays for the next attempt", job.jobId(), e.getMessage());
            return false;
        } finally {
            submitted.remove(job.jobId());
            lock.unlock();
        }
    }

    /** Stops this instance's runs of a cancelled experiment for good. */
    private void withdraw(ExperimentCancellation c) {
        submitted.values().stream().filter(r -> r.job().experimentId().equals(c.experimentId())).forEach(r -> {
            LOG.infof("%s: its experiment was cancelled by %s, stopping", r.job().jobId(), c.requestedBy());
            r.cancellation().withdraw(cancelledReason(c));
        });
    }

    private static String cancelledReason(ExperimentCancellation c) {
        return "experiment cancelled by " + c.requestedBy() + " at " + java.time.Instant.ofEpochMilli(c.requestedAtMs());
    }

    /** Tries a run again while it fails for the infrastructure, with growing waits; any other outcome ends it. */
    private TypedGuard<Boolean> retried(TrainingJob job) {
        return TypedGuard.create(Boolean.class)
                .withRetry()
                .maxRetries(-1)
                .maxDuration(3650, ChronoUnit.DAYS)
                .delay(config.runs().retryDelay().toMillis(), ChronoUnit.MILLIS)
                .jitter(config.runs().retryDelay().toMillis() / 5, ChronoUnit.MILLIS)
                .withExponentialBackoff().factor(2).maxDelay(config.runs().retryMaxDelay().toMillis(), ChronoUnit.MILLIS)
                .done()
                .whenException(KafkaFaults::isTransient)
                .beforeRetry(e -> {
                    metrics.retried(job);
                    LOG.warnf("%s: Kafka at %s is not answering (%s): trying the run again from its last checkpoint",
                            job.jobId(), clients.bootstrapServers(), e.getMessage());
                })
                .done()
                .build();
    }

    /** One try at a job: finds it trained already, or trains it. */
    private boolean attempt(TrainingJob job, Checkpoints checkpoints, Cancellation cancellation) throws Exception {
        if (!cancellation.withdrawn()) {
            cancellation.check(); // a withdrawn run is published CANCELLED below, from the view's cancellation
        }
        view.awaitCaughtUp(List.of(Topics.TRAINING_RESULTS.name(), Topics.TRAINING_CANCELLATIONS.name()),
                config.kafka().requestTimeout());
        if (view.result(job.jobId()).isPresent()) {
            LOG.infof("%s: already trained (result on %s), not training again", job.jobId(),
                    Topics.TRAINING_RESULTS.name());
            metrics.skipped(job);
            return true;
        }
        Optional<ExperimentCancellation> cancelled = view.cancellation(job.experimentId());
        if (cancelled.isPresent()) {
            publishCancelled(job, cancelledReason(cancelled.get()), List.of(), 0);
            return true;
        }
        int crashes = checkpoints.attemptStarted();
        try {
            return train(job, checkpoints, crashes, cancellation);
        } finally {
            checkpoints.attemptEnded();
        }
    }

    private boolean train(TrainingJob job, Checkpoints checkpoints, int crashes, Cancellation cancellation)
            throws Exception {
        metrics.started(job);
        active.add(job.jobId());
        long start = System.nanoTime();
        RunTrainer trainer = null;
        try {
            Optional<String> beyond = limits.problem(job);
            if (beyond.isPresent()) {
                throw new RunFailedException("the job asks for more than this trainer allows: " + beyond.get());
            }
            if (crashes >= config.runs().maxCrashes()) {
                throw new RunFailedException("the trainer process died " + crashes + " times during this run (killed,"
                        + " or out of memory) without finishing it (trainer.runs.max-crashes)");
            }
            LOG.infof("%s: starting (%s, n=%d, seed %d)%s", job.jobId(), job.variant(), job.subsetSize(), job.seed(),
                    crashes == 0 ? "" : "; the trainer died during " + crashes + " earlier attempt(s)");
            VocabularyRecord manifest = loader.awaitManifest(job.datasetId());
            Variant variant = Variant.resolve(job.variant(), manifest, config.data().gloveEmbedding());
            RunData data = loader.select(job, manifest, variant.sentenceEncoder());
            if (variant.classical()) {
                trainClassical(job, manifest, data, cancellation, start);
                return true;
            }
            if (variant.combined()) {
                trainCombined(job, manifest, data, variant.sentenceEncoder().get(), cancellation, start);
                return true;
            }
            if (variant.sentenceEncoder().isPresent()) {
                trainSentence(job, manifest, data, variant.sentenceEncoder().get(), cancellation, start);
                return true;
            }
            EmbeddingMatrix embedding = variant.embedding().isPresent()
                    ? loader.embedding(manifest, variant.embedding().get()) : null;
            trainer = new RunTrainer(job, manifest.preprocessing().numWords(), manifest.preprocessing().padId(), data,
                    embedding, checkpoints);
            RunTrainer.Outcome outcome = trainer.train(new RunTrainer.EpochListener() {
                @Override
                public void onEpoch(EpochMetrics m, int bestEpoch, int samples) {
                    clients.send(Topics.TRAINING_METRICS, job.jobId(), m);
                    metrics.epoch(job, m, samples, bestEpoch);
                }

                @Override
                public void onResume(List<EpochMetrics> history) throws Exception {
                    publishMissingEpochs(job, history);
                }
            }, cancellation);
            cancellation.check();

            long testing = System.nanoTime();
            double[] p = Inference.predict(outcome.network(), data.test().tokens(), manifest.preprocessing().padId());
            double testSeconds = (System.nanoTime() - testing) / 1e9;
            TestMetrics test = Evaluation.testMetrics(p, data.test().labels(), config.runs().prCurvePoints());
            cancellation.check();

            String modelId = modelId(job);
            EpochMetrics best = outcome.history().stream().filter(e -> e.epoch() == outcome.bestEpoch()).findFirst()
                    .orElseThrow();
            ModelArtifact artifact = ModelArtifacts.encode(outcome.network(),
                    new ModelArtifacts.Description(modelId, job.variant(), job.subsetSize(), job.seed(),
                            job.experimentId(), job.jobId(), job.datasetId(),
                            new Vocabulary(manifest.preprocessing(), manifest.words()), job.hyperparameters(),
                            artifactMetrics(best, test),
                            provenance(job, data, variant.embedding().orElse("random"), outcome.epochsRun(),
                                    outcome.bestEpoch(), outcome.trainSeconds())),
                    outcome.config(), System.currentTimeMillis());
            clients.send(Topics.MODELS, modelId, artifact);
            TrainingResult result = new TrainingResult(TrainingResult.VERSION, job.jobId(), job.experimentId(),
                    job.variant(), job.subsetSize(), job.seed(), TrainingResult.Status.SUCCEEDED, null,
                    outcome.epochsRun(), outcome.bestEpoch(), outcome.bestValLoss(), test, modelId, outcome.history(),
                    outcome.trainSeconds(), System.currentTimeMillis());
            clients.send(Topics.TRAINING_RESULTS, job.jobId(), result);
            metrics.result(job, result);
            trainer.finish(outcome, config.runs().keepLatestCheckpoint());
            // Where a run's time goes: inference (validation every epoch, the test reviews once) is a large part of it.
            LOG.infof("%s: done in %.0f s (epochs %.0f s, of it %.0f s evaluating the training subset and the validation "
                    + "reviews; %d test reviews %.0f s), best epoch %d of %d, test accuracy %.4f, model %s", job.jobId(),
                    (System.nanoTime() - start) / 1e9, outcome.trainSeconds(), outcome.evaluationSeconds(), p.length,
                    testSeconds, outcome.bestEpoch(), outcome.epochsRun(), test.accuracy(), modelId);
            return true;
        } catch (CancelledException e) {
            if (!e.withdrawn()) {
                throw e;
            }
            publishCancelled(job, e.getMessage(), trainer == null ? List.of() : trainer.history(),
                    (System.nanoTime() - start) / 1e9);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Throwable t) {
            if (t instanceof Exception e && KafkaFaults.isTransient(e)) {
                throw e; // not the run's fault: retried
            }
            String reason = reason(t);
            LOG.errorf(t instanceof DataException || t instanceof RunFailedException ? null : t,
                    "%s: failed: %s", job.jobId(), reason);
            List<EpochMetrics> history = trainer == null ? List.of() : trainer.history();
            TrainingResult failed = new TrainingResult(TrainingResult.VERSION, job.jobId(), job.experimentId(),
                    job.variant(), job.subsetSize(), job.seed(), TrainingResult.Status.FAILED, reason,
                    history.size(), 0, Double.NaN, null, null, history, (System.nanoTime() - start) / 1e9,
                    System.currentTimeMillis());
            clients.send(Topics.TRAINING_RESULTS, job.jobId(), failed);
            metrics.result(job, failed);
            return true;
        } finally {
            active.remove(job.jobId());
            metrics.finished(job);
        }
    }

    /**
     * The classical baseline ({@link TfidfLogRegTrainer}): seconds, so no checkpoints; publishes like
     * {@link #publishLinear}.
     */
    private void trainClassical(TrainingJob job, VocabularyRecord manifest, RunData data, Cancellation cancellation,
            long start) throws Exception {
        TfidfLogRegTrainer.Outcome outcome = TfidfLogRegTrainer.train(job, manifest.preprocessing(), data, cancellation);
        Map<String, String> details = new LinkedHashMap<>();
        details.put("features", tfidfFeatures(outcome.model()));
        details.put("classifier", "liblinear L2R_LR, intercept not regularised");
        details.put("c", Double.toString(outcome.c()));
        details.put("cGrid", outcome.grid());
        publishLinear(job, manifest, data, outcome.metrics(), outcome.model().predict(outcome.inputs(data.test())),
                TfidfLogisticModel.FORMAT, outcome.model().encode(), details, outcome.trainSeconds(), cancellation,
                String.format(Locale.ROOT, "C %s, %d terms of %s", outcome.c(), outcome.model().featurizer().size(),
                        outcome.model().input()),
                start);
    }

    /**
     * A logistic regression on frozen sentence-encoder vectors ({@link SentenceLogRegTrainer}): seconds, so no
     * checkpoints; publishes like {@link #publishLinear}.
     */
    private void trainSentence(TrainingJob job, VocabularyRecord manifest, RunData data, String encoder,
            Cancellation cancellation, long start) throws Exception {
        SentenceLogRegTrainer.Outcome outcome = SentenceLogRegTrainer.train(job, encoder, data, cancellation);
        Map<String, String> details = new LinkedHashMap<>();
        details.put("features", encoder + " review vectors (" + outcome.model().dimension() + " dims) from "
                + Topics.REVIEW_EMBEDDINGS.name() + "; the encoder is frozen");
        details.put("classifier", "liblinear L2R_LR, intercept not regularised");
        details.put("c", Double.toString(outcome.c()));
        details.put("cGrid", outcome.grid());
        publishLinear(job, manifest, data, outcome.metrics(), outcome.model().predict(data.test().vectors()),
                SentenceLogisticModel.FORMAT, outcome.model().encode(), details, outcome.trainSeconds(), cancellation,
                "C " + outcome.c() + ", " + encoder, start);
    }

    /**
     * One logistic regression on the TF-IDF terms and the sentence-encoder vector together
     * ({@link TfidfSentenceLogRegTrainer}): seconds, so no checkpoints; publishes like {@link #publishLinear}.
     */
    private void trainCombined(TrainingJob job, VocabularyRecord manifest, RunData data, String encoder,
            Cancellation cancellation, long start) throws Exception {
        TfidfSentenceLogRegTrainer.Outcome outcome = TfidfSentenceLogRegTrainer.train(job, manifest.preprocessing(),
                encoder, data, cancellation);
        TfidfSentenceModel model = outcome.model();
        Map<String, String> details = new LinkedHashMap<>();
        details.put("features", tfidfFeatures(model.terms()) + "; beside them " + encoder + " review vectors ("
                + model.vector().dimension() + " dims) from " + Topics.REVIEW_EMBEDDINGS.name() + " times "
                + outcome.setting().scale() + "; the encoder is frozen");
        details.put("classifier", "liblinear L2R_LR, intercept not regularised");
        details.put("c", Double.toString(outcome.setting().c()));
        details.put("vectorScale", Double.toString(outcome.setting().scale()));
        details.put("cGrid", outcome.grid());
        publishLinear(job, manifest, data, outcome.metrics(),
                model.predict(outcome.inputs(data.test()), data.test().vectors()), TfidfSentenceModel.FORMAT,
                model.encode(), details, outcome.trainSeconds(), cancellation,
                String.format(Locale.ROOT, "scale/C %s, %d terms of %s and %s", outcome.setting(),
                        model.terms().featurizer().size(), model.terms().input(), encoder),
                start);
    }

    /** The provenance of a TF-IDF model's features: what it reads of a review, and its terms. */
    private static String tfidfFeatures(TfidfLogisticModel model) {
        return "tfidf word uni+bigrams of " + (model.input() == TfidfLogisticModel.Input.WHOLE_REVIEW
                ? "the whole reviews" : "the padded sequences (the data set has no allTokens)")
                + ", minDf " + TfidfLogRegTrainer.MIN_DF + ", sublinear tf, smoothed idf, L2 rows; "
                + model.featurizer().size() + " terms";
    }

    /**
     * Publishes a linear variant's run: its one "epoch" (the chosen strength's training and validation metrics), the
     * artifact of {@code format} and the result, on the same topics and under the same keys as a network run.
     *
     * @param testProbabilities the model's probabilities of the run's test reviews
     * @param details           provenance of the features and the classifier
     */
    private void publishLinear(TrainingJob job, VocabularyRecord manifest, RunData data, EpochMetrics epoch,
            double[] testProbabilities, String format, byte[] weights, Map<String, String> details, double trainSeconds,
            Cancellation cancellation, String summary, long start) throws Exception {
        clients.send(Topics.TRAINING_METRICS, job.jobId(), epoch);
        metrics.epoch(job, epoch, data.train().size(), 1);
        cancellation.check();
        TestMetrics test = Evaluation.testMetrics(testProbabilities, data.test().labels(), config.runs().prCurvePoints());
        cancellation.check();

        String modelId = modelId(job);
        Map<String, String> provenance = provenance(job, data, "none", 1, 1, trainSeconds);
        provenance.putAll(details);
        ModelArtifact artifact = new ModelArtifact(ModelArtifact.VERSION, modelId, job.variant(), job.subsetSize(),
                job.seed(), job.experimentId(), job.jobId(), job.datasetId(), format, manifest.preprocessing(),
                manifest.words(), job.hyperparameters(), artifactMetrics(epoch, test), provenance, weights,
                System.currentTimeMillis());
        clients.send(Topics.MODELS, modelId, artifact);
        TrainingResult result = new TrainingResult(TrainingResult.VERSION, job.jobId(), job.experimentId(),
                job.variant(), job.subsetSize(), job.seed(), TrainingResult.Status.SUCCEEDED, null, 1, 1,
                epoch.valLoss(), test, modelId, List.of(epoch), trainSeconds, System.currentTimeMillis());
        clients.send(Topics.TRAINING_RESULTS, job.jobId(), result);
        metrics.result(job, result);
        LOG.infof("%s: done in %.1f s, %s (validation accuracy %.4f), test accuracy %.4f, model %s", job.jobId(),
                (System.nanoTime() - start) / 1e9, summary, epoch.valAccuracy(), test.accuracy(), modelId);
    }

    /** Publishes a CANCELLED result: the run ends here, and its job is committed like a finished one. */
    private void publishCancelled(TrainingJob job, String reason, List<EpochMetrics> history, double seconds) {
        TrainingResult cancelled = new TrainingResult(TrainingResult.VERSION, job.jobId(), job.experimentId(),
                job.variant(), job.subsetSize(), job.seed(), TrainingResult.Status.CANCELLED, reason, history.size(), 0,
                Double.NaN, null, null, history, seconds, System.currentTimeMillis());
        clients.send(Topics.TRAINING_RESULTS, job.jobId(), cancelled);
        metrics.result(job, cancelled);
        LOG.infof("%s: cancelled after %d epoch(s) (%s)", job.jobId(), history.size(), reason);
    }

    /**
     * Publishes the epochs of a resumed run that are not on {@code training.metrics}: an attempt that stopped (the
     * broker gone, the process killed) may have checkpointed an epoch whose metrics it could not send.
     */
    private void publishMissingEpochs(TrainingJob job, List<EpochMetrics> history) throws Exception {
        view.awaitCaughtUp(List.of(Topics.TRAINING_METRICS.name()), config.kafka().requestTimeout());
        Set<Integer> published = new HashSet<>();
        view.epochs(job.jobId()).forEach(m -> published.add(m.epoch()));
        for (EpochMetrics m : history) {
            if (!published.contains(m.epoch())) {
                LOG.infof("%s: publishing epoch %d, checkpointed before the last attempt stopped", job.jobId(), m.epoch());
                clients.send(Topics.TRAINING_METRICS, job.jobId(), m);
            }
        }
    }

    /** Jobs this instance is training now. */
    public boolean isActive(String jobId) {
        return active.contains(jobId);
    }

    /** Deterministic, so a re-trained job replaces its artifact on the compacted models topic. */
    public static String modelId(TrainingJob job) {
        return job.jobId();
    }

    static String reason(Throwable t) {
        if (t instanceof OutOfMemoryError) {
            return "out of memory: " + t.getMessage();
        }
        if (t instanceof DataException || t instanceof RunFailedException) {
            return t.getMessage();
        }
        String message = t.getMessage();
        // ND4J reports failed native allocations as plain runtime exceptions.
        if (message != null && (message.contains("Failed to allocate") || message.contains("out of memory")
                || message.contains("OutOfMemory"))) {
            return "out of memory: " + message;
        }
        return t.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    /** The artifact's metrics: the chosen epoch's training and validation figures, then the test figures. */
    private static Map<String, Double> artifactMetrics(EpochMetrics best, TestMetrics test) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("valLoss", best.valLoss());
        m.put("valAccuracy", best.valAccuracy());
        m.put("trainLoss", best.trainLoss());
        m.put("trainAccuracy", best.trainAccuracy());
        m.put("testLoss", test.loss());
        m.put("testAccuracy", test.accuracy());
        m.put("testRocAuc", test.rocAuc());
        m.put("testAveragePrecision", test.prCurve().averagePrecision());
        m.put("testF1Positive", test.perClass().get(1).f1());
        m.put("testF1Negative", test.perClass().get(0).f1());
        return m;
    }

    /** The artifact's provenance, the same keys for every kind of model; a kind may add its own. */
    private Map<String, String> provenance(TrainingJob job, RunData data, String embedding, int epochsRun, int bestEpoch,
            double trainSeconds) {
        Map<String, String> p = new HashMap<>(data.provenance());
        p.put("experimentId", job.experimentId());
        p.put("jobId", job.jobId());
        p.put("seed", Long.toString(job.seed()));
        p.put("subsetSize", Integer.toString(job.subsetSize()));
        p.put("embedding", embedding);
        p.put("epochsRun", Integer.toString(epochsRun));
        p.put("bestEpoch", Integer.toString(bestEpoch));
        p.put("trainSeconds", String.format("%.1f", trainSeconds));
        p.put("codeRevision", codeRevision);
        p.put("trainedAt", java.time.Instant.now().toString());
        p.put("trainer", "dev.imdbstream.trainer");
        return p;
    }

    @PreDestroy
    void close() {
        pool.shutdownNow();
        try {
            pool.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
