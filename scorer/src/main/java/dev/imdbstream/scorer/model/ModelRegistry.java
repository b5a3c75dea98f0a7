package dev.imdbstream.scorer.model;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.imdbstream.common.schema.Ids;
import dev.imdbstream.common.schema.ModelArtifact;
import dev.imdbstream.model.ServingModel;
import dev.imdbstream.scorer.config.ScorerConfig;
import dev.imdbstream.scorer.metrics.ScorerMetrics;

/**
 * The models this scorer instance holds. Fed with every artifact of the compacted {@code models} topic (by the
 * global store's processor, one thread); read by the scoring threads and the REST API through {@link #current()},
 * an immutable snapshot swapped atomically. Only the selected models are loaded, and a newly selected one is
 * loaded before the swap, so scoring never pauses for a model load.
 */
@Singleton
public class ModelRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(ModelRegistry.class);

    private final ModelSelection selection;
    private final ScorerMetrics metrics;
    /**
     * Usable artifacts by id (changed while holding this; read without it by {@link #candidates()}, so the health
     * check does not wait for a model load or the warm-up).
     */
    private final Map<String, ModelInfo> candidates = new ConcurrentHashMap<>();
    /** Artifacts (id@createdAt) that failed to load: not retried when offered again (guarded by this). */
    private final Set<String> broken = new HashSet<>();
    private final Duration warmUp;
    private final int maxBatch;
    private final int maxModelBytes;
    /** Whether a model was warmed up already: the kernels are compiled once per process (guarded by this). */
    private boolean warmedUp;
    private volatile ModelSnapshot current = ModelSnapshot.EMPTY;
    private final List<Consumer<ModelSnapshot>> listeners = new CopyOnWriteArrayList<>();

    /** Artifacts are untrusted records: beyond these they are rejected before anything is decoded or allocated. */
    static final int MAX_NUM_WORDS = 1_000_000;
    static final int MAX_LEN = 10_000;

    @Inject
    public ModelRegistry(ScorerConfig config, ScorerMetrics metrics) {
        this(new ModelSelection(config.selection(), config.modelIds().orElse(List.of())), metrics, config.warmUp(),
                config.batchSize(), config.maxModelBytes());
    }

    /**
     * @param warmUp   how long the first model loaded is warmed up before it scores ({@code scorer.warm-up})
     * @param maxBatch the largest micro-batch it will score ({@code scorer.batch-size})
     * @param maxModelBytes the largest weights loaded ({@code scorer.max-model-bytes})
     */
    public ModelRegistry(ModelSelection selection, ScorerMetrics metrics, Duration warmUp, int maxBatch,
            int maxModelBytes) {
        this.selection = selection;
        this.metrics = metrics;
        this.warmUp = warmUp;
        this.maxBatch = maxBatch;
        this.maxModelBytes = maxModelBytes;
    }

    /** The models scoring now; never null, empty before the first model arrives. */
    public ModelSnapshot current() {
        return current;
    }

    /** Calls {@code listener} with every new snapshot, after it became {@link #current()}. */
    public void onChange(Consumer<ModelSnapshot> listener) {
        listeners.add(listener);
    }

    /** Every usable artifact seen, selected or not. */
    public List<ModelInfo> candidates() {
        return List.copyOf(candidates.values());
    }

    /**
     * Registers one artifact (a new model, or a new version of a known id) and swaps in the selection it changes.
     *
     * @param artifacts where the weights of other selected models are read (the global store)
     */
    public synchronized void offer(ModelArtifact artifact, Function<String, ModelArtifact> artifacts) {
        if (register(artifact)) {
            reconcile(id -> id.equals(artifact.modelId()) ? artifact : artifacts.apply(id));
        }
    }

    /** Registers many artifacts (the store's contents at start), then selects and loads once. */
    public synchronized void offerAll(Iterable<ModelArtifact> all, Function<String, ModelArtifact> artifacts) {
        boolean changed = false;
        for (ModelArtifact artifact : all) {
            changed |= register(artifact);
        }
        if (changed) {
            reconcile(artifacts);
        }
    }

    /** Forgets a model (a tombstone on the topic); another one takes its place if the selection says so. */
    public synchronized void remove(String modelId, Function<String, ModelArtifact> artifacts) {
        if (candidates.remove(modelId) != null) {
            LOG.info("model {} removed from the models topic", modelId);
            reconcile(artifacts);
        }
    }

    /** @return whether the candidates changed */
    private boolean register(ModelArtifact artifact) {
        String problem = problem(artifact);
        if (problem != null) {
            LOG.warn("model artifact {} ignored: {}", Ids.shown(artifact.modelId()), problem);
            metrics.modelRejected();
            return artifact.modelId() != null && candidates.remove(artifact.modelId()) != null;
        }
        ModelInfo info = ModelInfo.of(artifact);
        if (info.equals(candidates.get(info.modelId())) || broken.contains(key(info))) {
            return false;
        }
        candidates.put(info.modelId(), info);
        return true;
    }

    private String problem(ModelArtifact a) {
        if (a.modelId() == null || a.modelId().isBlank()) {
            return "no model id";
        }
        // Ids and variants become metric labels and log lines.
        if (!Ids.isName(a.modelId())) {
            return "model id " + Ids.shown(a.modelId()) + " does not match " + Ids.NAME.pattern();
        }
        if (a.variant() == null || !Ids.VARIANT.matcher(a.variant()).matches()) {
            return "variant " + Ids.shown(a.variant()) + " does not match " + Ids.VARIANT.pattern();
        }
        if (a.weights() != null && a.weights().length > maxModelBytes) {
            return a.weights().length + " bytes of weights, more than scorer.max-model-bytes " + maxModelBytes;
        }
        if (a.preprocessing() != null && (a.preprocessing().numWords() > MAX_NUM_WORDS
                || a.preprocessing().maxLen() > MAX_LEN || a.words() != null && a.words().size() > MAX_NUM_WORDS)) {
            return "vocabulary or sequence length beyond " + MAX_NUM_WORDS + " words / " + MAX_LEN + " steps";
        }
        if (a.schemaVersion() != ModelArtifact.VERSION) {
            return "schema v" + a.schemaVersion() + ", this scorer reads v" + ModelArtifact.VERSION;
        }
        if (!ScoringModel.readable(a.format())) {
            return "weight format '" + a.format() + "', this scorer reads " + String.join(", ", ScoringModel.FORMATS);
        }
        if (a.preprocessing() == null || a.words() == null || a.weights() == null || a.weights().length == 0) {
            return "preprocessing, vocabulary or weights missing";
        }
        return null;
    }

    /** Loads what the selection newly wants, then publishes the new snapshot in one write. */
    private void reconcile(Function<String, ModelArtifact> artifacts) {
        while (true) {
            List<ModelInfo> wanted = selection.select(candidates.values());
            if (wanted.equals(current.models().stream().map(LoadedModel::info).toList())) {
                metrics.modelsKnown(candidates.size());
                return;
            }
            List<LoadedModel> next = new ArrayList<>(wanted.size());
            boolean failed = false;
            for (ModelInfo info : wanted) {
                LoadedModel loaded = reuseOrLoad(info, artifacts);
                if (loaded == null) {
                    failed = true;
                    break;
                }
                next.add(loaded);
            }
            if (failed) {
                continue;
            }
            ModelSnapshot previous = current;
            current = ModelSnapshot.of(next, previous.version() + 1);
            metrics.modelsChanged(next.stream().map(m -> new ScorerMetrics.ModelTags(m.info().modelId(),
                    m.info().variant(), m.info().subsetSize())).toList(), candidates.size());
            LOG.info("scoring with {} (was {}), {} models known", current.modelIds(), previous.modelIds(),
                    candidates.size());
            ModelSnapshot now = current;
            listeners.forEach(l -> l.accept(now));
            return;
        }
    }

    /** The loaded model for this artifact version, or null after dropping an artifact that cannot be loaded. */
    private LoadedModel reuseOrLoad(ModelInfo info, Function<String, ModelArtifact> artifacts) {
        for (LoadedModel m : current.models()) {
            if (m.info().equals(info)) {
                return m;
            }
        }
        long started = System.nanoTime();
        try {
            ModelArtifact artifact = Objects.requireNonNull(artifacts.apply(info.modelId()),
                    "artifact not found in the models store");
            if (artifact.createdAtMs() != info.createdAtMs()) {
                throw new IllegalStateException("the store holds another version of it");
            }
            ScoringModel model = ScoringModel.load(artifact);
            metrics.modelLoaded(System.nanoTime() - started);
            LOG.info("loaded model {} ({} embeddings, {} reviews, valLoss {}) in {} ms", info.modelId(),
                    info.variant(), info.subsetSize(), info.valLoss(), (System.nanoTime() - started) / 1_000_000);
            // The warm-up compiles the network's kernels; the baseline has none.
            if (!warmedUp && !warmUp.isZero() && model instanceof ScoringModel.Network network) {
                ServingModel.WarmUp done = network.model().warmUp(warmUp, maxBatch);
                warmedUp = true;
                metrics.warmedUp(done.took().toNanos());
                LOG.info("warmed up the inference kernels with model {} in {} ms: {} rounds of passes over 1 to {} synthetic"
                        + " reviews, the last {} ms; {}", info.modelId(), done.took().toMillis(), done.rounds(), maxBatch,
                        done.lastRound().toMillis(), done.settled() ? "settled" : "not settled within scorer.warm-up");
            }
            return new LoadedModel(info, model, 0);
        } catch (RuntimeException e) {
            LOG.error("model {} cannot be loaded and is ignored: {}", info.modelId(), e.toString(), e);
            metrics.modelRejected();
            candidates.remove(info.modelId());
            broken.add(key(info));
            return null;
        }
    }

    private static String key(ModelInfo info) {
        return info.modelId() + "@" + info.createdAtMs();
    }
}
