package dev.imdbstream.trainer.api;

import java.security.SecureRandom;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.imdbstream.common.kafka.Topics;
import dev.imdbstream.common.schema.EpochMetrics;
import dev.imdbstream.common.schema.Hyperparameters;
import dev.imdbstream.common.schema.TrainingJob;
import dev.imdbstream.common.schema.TrainingResult;
import dev.imdbstream.common.schema.VocabularyRecord;
import dev.imdbstream.model.EmbeddingVariant;
import dev.imdbstream.trainer.api.ExperimentViews.Created;
import dev.imdbstream.trainer.api.ExperimentViews.Detail;
import dev.imdbstream.trainer.api.ExperimentViews.Run;
import dev.imdbstream.trainer.api.ExperimentViews.RunState;
import dev.imdbstream.trainer.api.ExperimentViews.Summary;
import dev.imdbstream.trainer.config.TrainerConfig;
import dev.imdbstream.trainer.data.DataException;
import dev.imdbstream.trainer.data.Variant;
import dev.imdbstream.trainer.kafka.KafkaClients;
import dev.imdbstream.trainer.kafka.StudyView;
import dev.imdbstream.trainer.report.ResultsTable;
import dev.imdbstream.trainer.run.RunExecutor;

/**
 * Starts experiments by publishing one {@link TrainingJob} per (size, variant, seed) to
 * {@code training.jobs} (key: the deterministic job id), and describes experiments from the topics as the
 * {@link StudyView} sees them.
 */
@ApplicationScoped
public class ExperimentService {

    private static final Logger LOG = Logger.getLogger(ExperimentService.class);
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,99}");
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    private final StudyView view;
    private final KafkaClients clients;
    private final TrainerConfig config;
    private final RunExecutor executor;
    private final SecureRandom random = new SecureRandom();

    public ExperimentService(StudyView view, KafkaClients clients, TrainerConfig config, RunExecutor executor) {
        this.view = view;
        this.clients = clients;
        this.config = config;
        this.executor = executor;
    }

    /** The request is invalid (400). */
    public static final class BadRequest extends Exception {
        public BadRequest(String message) {
            super(message);
        }
    }

    /** The request conflicts with the topics' state (409). */
    public static final class Conflict extends Exception {
        public Conflict(String message) {
            super(message);
        }
    }

    public Created create(ExperimentRequest request) throws BadRequest, Conflict {
        ExperimentRequest r = request == null ? new ExperimentRequest(null, null, null, null, null, null) : request;
        String experimentId = r.experimentId() != null ? r.experimentId()
                : "exp-" + STAMP.format(java.time.Instant.now()) + "-" + String.format("%04x", random.nextInt(0x10000));
        if (!ID.matcher(experimentId).matches()) {
            throw new BadRequest("experimentId must match " + ID.pattern());
        }
        if (!view.jobsOf(experimentId).isEmpty()) {
            throw new Conflict("experiment " + experimentId + " exists already");
        }
        VocabularyRecord manifest = (r.datasetId() != null ? view.manifest(r.datasetId()) : view.latestManifest())
                .orElseThrow(() -> new Conflict(r.datasetId() != null
                        ? "no data set " + r.datasetId() + " on " + Topics.VOCAB.name()
                        : "no data set on " + Topics.VOCAB.name() + " yet: run the ingestor first"));
        Hyperparameters hp;
        try {
            hp = r.hyperparameters() == null ? Hyperparameters.notebook() : r.hyperparameters().applyTo(Hyperparameters.notebook());
        } catch (IllegalArgumentException e) {
            throw new BadRequest(e.getMessage());
        }
        List<Integer> sizes = distinct(r.sizes(), config.experiments().sizes());
        List<String> variants = distinct(r.variants(), config.experiments().variants());
        List<Long> seeds = distinct(r.seeds(), config.experiments().seeds());
        Double trainReviews = manifest.stats() == null ? null : manifest.stats().get("reviews.train");
        for (int size : sizes) {
            if (size < 1) {
                throw new BadRequest("subset sizes must be positive, got " + size);
            }
            if (trainReviews != null && size > trainReviews - hp.validationSize()) {
                throw new BadRequest("subset size " + size + " does not fit beside " + hp.validationSize()
                        + " validation reviews in the " + trainReviews.intValue() + " training reviews of " + manifest.datasetId());
            }
        }
        for (String variant : variants) {
            try {
                EmbeddingVariant.of(variant);
                Variant.resolve(variant, manifest, config.data().gloveEmbedding());
            } catch (IllegalArgumentException | DataException e) {
                throw new BadRequest(e.getMessage());
            }
        }
        long now = System.currentTimeMillis();
        List<String> jobIds = new ArrayList<>();
        for (int size : sizes) {
            for (String variant : variants) {
                for (long seed : seeds) {
                    String jobId = TrainingJob.jobId(experimentId, variant, size, seed);
                    clients.send(Topics.TRAINING_JOBS, jobId, new TrainingJob(TrainingJob.VERSION, jobId, experimentId,
                            manifest.datasetId(), variant, size, seed, hp, now));
                    jobIds.add(jobId);
                }
            }
        }
        LOG.infof("experiment %s: %d runs on data set %s published to %s", experimentId, jobIds.size(),
                manifest.datasetId(), Topics.TRAINING_JOBS.name());
        return new Created(experimentId, manifest.datasetId(), hp, jobIds);
    }

    private static <T> List<T> distinct(List<T> requested, List<T> defaults) {
        return List.copyOf(new LinkedHashSet<>(requested == null || requested.isEmpty() ? defaults : requested));
    }

    public List<Summary> list() {
        return view.experimentIds().stream().map(this::summary).flatMap(Optional::stream)
                .sorted(Comparator.comparingLong(Summary::createdAtMs).reversed()).toList();
    }

    public Optional<Summary> summary(String experimentId) {
        List<TrainingJob> jobs = view.jobsOf(experimentId);
        if (jobs.isEmpty()) {
            return Optional.empty();
        }
        int[] counts = new int[RunState.values().length];
        for (TrainingJob j : jobs) {
            counts[state(j).ordinal()]++;
        }
        return Optional.of(new Summary(experimentId, jobs.get(0).datasetId(),
                jobs.stream().mapToLong(TrainingJob::createdAtMs).min().orElse(0), jobs.size(),
                counts[RunState.QUEUED.ordinal()], counts[RunState.RUNNING.ordinal()],
                counts[RunState.SUCCEEDED.ordinal()], counts[RunState.FAILED.ordinal()],
                counts[RunState.SUCCEEDED.ordinal()] + counts[RunState.FAILED.ordinal()] == jobs.size()));
    }

    public Optional<Detail> detail(String experimentId) {
        return summary(experimentId).map(summary -> {
            List<TrainingJob> jobs = view.jobsOf(experimentId);
            List<Run> runs = jobs.stream().sorted(Comparator.comparingInt(TrainingJob::subsetSize)
                    .thenComparing(TrainingJob::variant).thenComparingLong(TrainingJob::seed)).map(this::run).toList();
            return new Detail(summary, jobs.get(0).hyperparameters(), runs,
                    ResultsTable.of(view.resultsOf(experimentId)).cells(), "/experiments/" + experimentId + "/report");
        });
    }

    private RunState state(TrainingJob job) {
        Optional<TrainingResult> result = view.result(job.jobId());
        if (result.isPresent()) {
            return result.get().status() == TrainingResult.Status.SUCCEEDED ? RunState.SUCCEEDED : RunState.FAILED;
        }
        // Another instance's run shows as running from its first epoch on.
        return executor.isActive(job.jobId()) || !view.epochs(job.jobId()).isEmpty() ? RunState.RUNNING : RunState.QUEUED;
    }

    private Run run(TrainingJob job) {
        List<EpochMetrics> epochs = view.epochs(job.jobId());
        EpochMetrics latest = epochs.isEmpty() ? null : epochs.get(epochs.size() - 1);
        TrainingResult result = view.result(job.jobId()).orElse(null);
        boolean ok = result != null && result.status() == TrainingResult.Status.SUCCEEDED;
        return new Run(job.jobId(), job.variant(), job.subsetSize(), job.seed(), state(job),
                latest == null ? 0 : latest.epoch(), job.hyperparameters().maxEpochs(), latest,
                ok ? result.bestEpoch() : null, ok ? result.test().accuracy() : null, ok ? result.test().rocAuc() : null,
                ok ? result.modelId() : null, result == null ? null : result.error(),
                result == null ? null : result.trainSeconds());
    }
}
