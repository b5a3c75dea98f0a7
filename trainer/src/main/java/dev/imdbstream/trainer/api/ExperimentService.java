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
import dev.imdbstream.common.schema.ExperimentCancellation;
import dev.imdbstream.common.schema.Hyperparameters;
import dev.imdbstream.common.schema.Ids;
import dev.imdbstream.common.schema.TrainingJob;
import dev.imdbstream.common.schema.TrainingResult;
import dev.imdbstream.common.schema.VocabularyRecord;
import dev.imdbstream.trainer.api.ExperimentViews.Cancelled;
import dev.imdbstream.trainer.api.ExperimentViews.Created;
import dev.imdbstream.trainer.api.ExperimentViews.Detail;
import dev.imdbstream.trainer.api.ExperimentViews.Run;
import dev.imdbstream.trainer.api.ExperimentViews.RunState;
import dev.imdbstream.trainer.api.ExperimentViews.Summary;
import dev.imdbstream.trainer.config.TrainerConfig;
import dev.imdbstream.trainer.data.DataException;
import dev.imdbstream.trainer.data.Variant;
import dev.imdbstream.trainer.kafka.KafkaClients;
import dev.imdbstream.common.study.ResultsTable;
import dev.imdbstream.trainer.run.ExperimentLimits;
import dev.imdbstream.trainer.run.RunExecutor;
import dev.imdbstream.trainer.study.StudyView;

/**
 * Starts experiments by publishing one {@link TrainingJob} per (size, variant, seed) to
 * {@code training.jobs} (key: the deterministic job id), within {@link ExperimentLimits}; cancels them by publishing an
 * {@link ExperimentCancellation} to {@code training.cancellations} (key: experiment id), which every trainer instance
 * reads; and describes experiments from the topics as the {@link StudyView} sees them.
 */
@ApplicationScoped
public class ExperimentService {

    private static final Logger LOG = Logger.getLogger(ExperimentService.class);
    private static final Pattern ID = Ids.EXPERIMENT;
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    private final StudyView view;
    private final KafkaClients clients;
    private final TrainerConfig config;
    private final RunExecutor executor;
    private final ExperimentLimits limits;
    private final SecureRandom random = new SecureRandom();

    public ExperimentService(StudyView view, KafkaClients clients, TrainerConfig config, RunExecutor executor,
            ExperimentLimits limits) {
        this.view = view;
        this.clients = clients;
        this.config = config;
        this.executor = executor;
        this.limits = limits;
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

    /** No such experiment (404). */
    public static final class NotFound extends Exception {
        public NotFound(String message) {
            super(message);
        }
    }

    /**
     * @param caller the authenticated caller, logged with the experiment
     */
    public Created create(ExperimentRequest request, String caller) throws BadRequest, Conflict {
        ExperimentRequest r = request == null ? new ExperimentRequest(null, null, null, null, null, null) : request;
        String experimentId = r.experimentId() != null ? r.experimentId()
                : "exp-" + STAMP.format(java.time.Instant.now()) + "-" + String.format("%04x", random.nextInt(0x10000));
        if (!ID.matcher(experimentId).matches()) {
            throw new BadRequest("experimentId must match " + ID.pattern());
        }
        if (view.cancellation(experimentId).isPresent()) {
            throw new Conflict("experiment " + experimentId + " was cancelled: choose another id");
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
        Optional<String> tooMany = limits.problem(sizes.size() * variants.size() * seeds.size());
        if (tooMany.isPresent()) {
            throw new BadRequest(tooMany.get());
        }
        for (int size : sizes) {
            if (size < 1) {
                throw new BadRequest("subset sizes must be positive, got " + size);
            }
            Optional<String> beyond = limits.problem(size, hp);
            if (beyond.isPresent()) {
                throw new BadRequest(beyond.get());
            }
            if (trainReviews != null && size > trainReviews - hp.validationSize()) {
                throw new BadRequest("subset size " + size + " does not fit beside " + hp.validationSize()
                        + " validation reviews in the " + trainReviews.intValue() + " training reviews of " + manifest.datasetId());
            }
        }
        for (String variant : variants) {
            try {
                Variant.resolve(variant, manifest, config.data().gloveEmbedding());
            } catch (IllegalArgumentException | DataException e) {
                throw new BadRequest(e.getMessage());
            }
        }
        long now = System.currentTimeMillis();
        List<String> jobIds = new ArrayList<>();
        // Largest subsets first: the trainers start the longest runs first (JobConsumer waits for the rest, too).
        for (int size : sizes.stream().sorted(Comparator.reverseOrder()).toList()) {
            for (String variant : variants) {
                for (long seed : seeds) {
                    String jobId = TrainingJob.jobId(experimentId, variant, size, seed);
                    clients.send(Topics.TRAINING_JOBS, jobId, new TrainingJob(TrainingJob.VERSION, jobId, experimentId,
                            manifest.datasetId(), variant, size, seed, hp, now));
                    jobIds.add(jobId);
                }
            }
        }
        LOG.infof("experiment %s by %s: %d runs on data set %s published to %s", experimentId, caller, jobIds.size(),
                manifest.datasetId(), Topics.TRAINING_JOBS.name());
        return new Created(experimentId, manifest.datasetId(), hp, jobIds);
    }

    /**
     * Cancels an experiment: its runs not finished stop (on whichever instance trains them) or never start, and end
     * as CANCELLED. Cancelling again changes nothing.
     *
     * @param caller the authenticated caller, recorded in the cancellation
     */
    public Cancelled cancel(String experimentId, String caller) throws NotFound {
        List<TrainingJob> jobs = view.jobsOf(experimentId);
        if (jobs.isEmpty()) {
            throw new NotFound("no experiment " + experimentId);
        }
        List<String> open = jobs.stream().map(TrainingJob::jobId).filter(id -> view.result(id).isEmpty()).toList();
        ExperimentCancellation cancellation = view.cancellation(experimentId).orElse(null);
        if (cancellation == null) {
            cancellation = new ExperimentCancellation(ExperimentCancellation.VERSION, experimentId, caller,
                    System.currentTimeMillis());
            clients.send(Topics.TRAINING_CANCELLATIONS, experimentId, cancellation);
            LOG.infof("experiment %s cancelled by %s: %d run(s) not finished stop", experimentId, caller, open.size());
        }
        return new Cancelled(experimentId, cancellation.requestedBy(), cancellation.requestedAtMs(), open);
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
                counts[RunState.CANCELLED.ordinal()], counts[RunState.SUCCEEDED.ordinal()]
                        + counts[RunState.FAILED.ordinal()] + counts[RunState.CANCELLED.ordinal()] == jobs.size(),
                view.cancellation(experimentId).isPresent()));
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
            return switch (result.get().status()) {
                case SUCCEEDED -> RunState.SUCCEEDED;
                case FAILED -> RunState.FAILED;
                case CANCELLED -> RunState.CANCELLED;
            };
        }
        if (view.cancellation(job.experimentId()).isPresent() && !executor.isActive(job.jobId())) {
            return RunState.CANCELLED; // its result comes when an instance takes its job; it never trains
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
