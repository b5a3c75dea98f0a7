package dev.imdbstream.trainer.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.jboss.logging.Logger;

import dev.imdbstream.common.kafka.Topic;
import dev.imdbstream.common.kafka.TopicScan;
import dev.imdbstream.common.kafka.Topics;
import dev.imdbstream.common.schema.EmbeddingMatrix;
import dev.imdbstream.common.schema.Hyperparameters;
import dev.imdbstream.common.schema.Preprocessing;
import dev.imdbstream.common.schema.ReviewEmbedding;
import dev.imdbstream.common.schema.ReviewSequence;
import dev.imdbstream.common.schema.TrainingJob;
import dev.imdbstream.common.schema.VocabularyRecord;
import dev.imdbstream.common.study.SubsetPlan;
import dev.imdbstream.common.text.Vocabulary;
import dev.imdbstream.trainer.config.TrainerConfig;
import dev.imdbstream.trainer.data.RunData.Examples;
import dev.imdbstream.trainer.kafka.KafkaClients;
import dev.imdbstream.trainer.study.StudyView;

/**
 * Reads a data set from the compacted {@code imdb.train}, {@code imdb.test} and {@code imdb.embeddings}
 * topics (records of other data sets are skipped; the latest record of a key wins), keeps the last few
 * data sets decoded in memory, and selects each run's training subset, validation and test reviews by the
 * records' {@code index} field ({@link SubsetPlan}).
 */
@ApplicationScoped
public class DatasetLoader {

    private static final Logger LOG = Logger.getLogger(DatasetLoader.class);

    private final KafkaClients clients;
    private final StudyView view;
    private final TrainerConfig config;
    /**
     * Concurrent runs of one data set share one read; beyond {@code trainer.data.cached-datasets} data sets (twice
     * as many embeddings), the ones least worth keeping are dropped. A failed read is not kept: the next run reads
     * again.
     */
    private final AsyncCache<String, Dataset> cache;
    private final AsyncCache<String, EmbeddingMatrix> embeddings;
    private final AsyncCache<String, ReviewVectors> vectors;

    public DatasetLoader(KafkaClients clients, StudyView view, TrainerConfig config) {
        this.clients = clients;
        this.view = view;
        this.config = config;
        this.cache = cache(config.data().cachedDatasets());
        this.embeddings = cache(2L * config.data().cachedDatasets());
        this.vectors = cache(config.data().cachedDatasets());
    }

    private static <V> AsyncCache<String, V> cache(long size) {
        // Evictions and the removal of failed reads happen on the calling thread, at once.
        return Caffeine.newBuilder().maximumSize(size).executor(Runnable::run).buildAsync();
    }

    /**
     * The cached value of {@code key}, else the one {@code read} returns: read on the calling thread, while other
     * callers of the same key wait for it.
     */
    private static <V> V get(AsyncCache<String, V> cache, String key, Read<V> read)
            throws DataException, InterruptedException {
        CompletableFuture<V> mine = new CompletableFuture<>();
        CompletableFuture<V> future = cache.get(key, (k, executor) -> mine);
        if (future == mine) {
            try {
                mine.complete(read.read());
            } catch (DataException | RuntimeException e) {
                mine.completeExceptionally(e);
            }
        }
        return await(future);
    }

    @FunctionalInterface
    private interface Read<V> {
        V read() throws DataException;
    }

    /** Both splits of one data set. */
    public record Dataset(VocabularyRecord manifest, Split train, Split test) {
    }

    /** Waits (bounded by {@code trainer.data.manifest-timeout}) for the manifest the ingestor publishes last. */
    public VocabularyRecord awaitManifest(String datasetId) throws DataException, InterruptedException {
        try {
            return view.awaitManifest(datasetId, config.data().manifestTimeout());
        } catch (TimeoutException e) {
            throw new DataException("missing data: " + e.getMessage(), e);
        }
    }

    /**
     * A data set's review vectors of one sentence encoder, by split and index (a row is null where the topic has none).
     */
    public record ReviewVectors(String encoder, float[][] train, float[][] test) {
    }

    /** Selects a run's reviews; fails with the reason when one of them is missing or unusable. */
    public RunData select(TrainingJob job, VocabularyRecord manifest) throws DataException, InterruptedException {
        return select(job, manifest, Optional.empty());
    }

    /**
     * Selects a run's reviews, with their vectors of {@code encoder} where one is given; fails with the reason when
     * one of them is missing or unusable.
     */
    public RunData select(TrainingJob job, VocabularyRecord manifest, Optional<String> encoder)
            throws DataException, InterruptedException {
        Dataset data = load(manifest);
        Hyperparameters hp = job.hyperparameters();
        int trainTotal = data.train().size();
        SubsetPlan plan;
        try {
            int[] labels = data.train().labels();
            plan = hp.balancedSubsets()
                    ? SubsetPlan.balanced(trainTotal, hp.validationSize(), job.subsetSize(), job.seed(), i -> labels[i])
                    : SubsetPlan.of(trainTotal, hp.validationSize(), job.subsetSize(), job.seed());
        } catch (IllegalArgumentException e) {
            // Too few reviews (of a label) for the subset, or a review whose label is not 0/1.
            throw new DataException("cannot select the run's reviews: " + e.getMessage(), e);
        }
        int[] subset = new int[job.subsetSize()];
        for (int i = 0; i < trainTotal - hp.validationSize(); i++) {
            if (plan.isTraining(i)) {
                subset[plan.drawRank(i)] = i;
            }
        }
        int[] validation = new int[hp.validationSize()];
        for (int i = 0; i < validation.length; i++) {
            validation[i] = trainTotal - hp.validationSize() + i;
        }
        int testCount = hp.testSize() == 0 ? data.test().size() : Math.min(hp.testSize(), data.test().size());
        int[] test = new int[testCount];
        for (int i = 0; i < testCount; i++) {
            test[i] = i;
        }
        Map<String, String> provenance = new LinkedHashMap<>();
        provenance.put("datasetId", manifest.datasetId());
        provenance.put("trainReviews", String.valueOf(trainTotal));
        provenance.put("subsetIndexes", Arrays.stream(subset).mapToObj(String::valueOf).collect(Collectors.joining(",")));
        provenance.put("validationIndexes", validation.length == 0 ? "" : validation[0] + "-" + validation[validation.length - 1]);
        provenance.put("testIndexes", testCount == 0 ? "" : "0-" + (testCount - 1));
        provenance.put("trainOffsets", offsets(data.train()));
        provenance.put("testOffsets", offsets(data.test()));
        if (encoder.isEmpty()) {
            return new RunData(examples(data.train(), subset), examples(data.train(), validation),
                    examples(data.test(), test), subset, provenance);
        }
        ReviewVectors v = vectors(manifest, encoder.get(), subset, validation, test);
        provenance.put("reviewVectors", Topics.REVIEW_EMBEDDINGS.name() + ":" + encoder.get());
        return new RunData(withVectors(examples(data.train(), subset), v.train(), subset),
                withVectors(examples(data.train(), validation), v.train(), validation),
                withVectors(examples(data.test(), test), v.test(), test), subset, provenance);
    }

    private static Examples withVectors(Examples e, float[][] vectors, int[] indexes) {
        float[][] selected = new float[indexes.length][];
        for (int i = 0; i < indexes.length; i++) {
            selected[i] = vectors[indexes[i]];
        }
        return new Examples(e.tokens(), e.allTokens(), e.labels(), selected);
    }

    /**
     * The vectors of a run's reviews: read once per data set and encoder; read again, once, when one of the run's
     * reviews has none (the ingestor may still have been encoding at the first read).
     */
    private ReviewVectors vectors(VocabularyRecord manifest, String encoder, int[] subset, int[] validation, int[] test)
            throws DataException, InterruptedException {
        String key = ReviewEmbedding.key(manifest.datasetId(), encoder, "");
        ReviewVectors v = get(vectors, key, () -> readVectors(manifest, encoder));
        String missing = missing(v, subset, validation, test);
        if (missing != null) {
            vectors.synchronous().invalidate(key);
            v = get(vectors, key, () -> readVectors(manifest, encoder));
            missing = missing(v, subset, validation, test);
        }
        if (missing != null) {
            throw new DataException("missing data: " + missing + " on " + Topics.REVIEW_EMBEDDINGS.name()
                    + " (the ingestor encodes them with --sentence-encoder)");
        }
        return v;
    }

    /** Which of the run's reviews have no vector, or null when all have one. */
    private static String missing(ReviewVectors v, int[] subset, int[] validation, int[] test) {
        List<String> absent = new ArrayList<>();
        absentRows(v.train(), subset, "train", absent);
        absentRows(v.train(), validation, "train", absent);
        absentRows(v.test(), test, "test", absent);
        return absent.isEmpty() ? null : absent.size() + " of the run's reviews have no " + v.encoder()
                + " vector (the first: " + absent.get(0) + ")";
    }

    private static void absentRows(float[][] rows, int[] indexes, String split, List<String> absent) {
        for (int i : indexes) {
            if (i >= rows.length || rows[i] == null) {
                absent.add(split + " review " + i);
            }
        }
    }

    private ReviewVectors readVectors(VocabularyRecord manifest, String encoder) throws DataException {
        long start = System.nanoTime();
        String prefix = ReviewEmbedding.key(manifest.datasetId(), encoder, "");
        int trainSize = expectedCount(manifest, "train").orElse(0);
        int testSize = expectedCount(manifest, "test").orElse(0);
        Map<String, ReviewEmbedding> byKey = new HashMap<>();
        readAll(Topics.REVIEW_EMBEDDINGS, new TreeMap<>(), r -> {
            if (r.key() == null || !r.key().startsWith(prefix)) {
                return;
            }
            if (r.value() == null) {
                byKey.remove(r.key());
                return;
            }
            try {
                byKey.put(r.key(), Topics.REVIEW_EMBEDDINGS.valueSerde().deserializer().deserialize(r.topic(), r.value()));
            } catch (RuntimeException e) {
                LOG.warnf("unreadable record %s on %s-%d@%d: %s", r.key(), r.topic(), r.partition(), r.offset(),
                        e.getMessage());
                byKey.remove(r.key());
            }
        });
        float[][] train = new float[trainSize][];
        float[][] test = new float[testSize][];
        int dim = -1;
        for (ReviewEmbedding e : byKey.values()) {
            float[][] rows = "train".equals(e.split()) ? train : "test".equals(e.split()) ? test : null;
            if (rows == null || e.index() < 0 || e.index() >= rows.length) {
                LOG.warnf("review vector %s: split %s, index %d is not a review of %s", e.key(), e.split(), e.index(),
                        manifest.datasetId());
                continue;
            }
            float[] v = e.values() == null || e.values().length != 4L * e.dim() ? null : e.floats();
            if (v == null || v.length == 0 || dim >= 0 && v.length != dim || !finite(v)) {
                throw new DataException("bad record " + e.key() + " on " + Topics.REVIEW_EMBEDDINGS.name() + ": "
                        + (v == null ? "its values do not hold " + e.dim() + " floats"
                                : dim >= 0 && v.length != dim ? v.length + " values where the others have " + dim
                                        : "non-finite value"));
            }
            dim = v.length;
            rows[e.index()] = v;
        }
        LOG.infof("read %,d review vectors of %s for data set %s in %.1f s", byKey.size(), encoder,
                manifest.datasetId(), (System.nanoTime() - start) / 1e9);
        return new ReviewVectors(encoder, train, test);
    }

    private static boolean finite(float[] v) {
        for (float x : v) {
            if (!Float.isFinite(x)) {
                return false;
            }
        }
        return true;
    }

    private static String offsets(Split split) {
        return split.topic() + ":" + split.offsets().entrySet().stream().map(e -> e.getKey() + "@" + e.getValue())
                .collect(Collectors.joining(","));
    }

    private static Examples examples(Split split, int[] indexes) throws DataException {
        int[][] tokens = new int[indexes.length][];
        int[][] allTokens = new int[indexes.length][];
        boolean whole = true;
        int[] labels = new int[indexes.length];
        for (int i = 0; i < indexes.length; i++) {
            String problem = split.problem(indexes[i]);
            if (problem != null) {
                throw new DataException(problem);
            }
            tokens[i] = split.tokens()[indexes[i]];
            allTokens[i] = split.allTokens()[indexes[i]];
            whole &= allTokens[i] != null;
            labels[i] = split.labels()[indexes[i]];
        }
        return new Examples(tokens, whole ? allTokens : null, labels);
    }

    /** The named embedding matrix of a data set, checked against its vocabulary. */
    public EmbeddingMatrix embedding(VocabularyRecord manifest, String name) throws DataException, InterruptedException {
        String key = EmbeddingMatrix.key(manifest.datasetId(), name);
        return get(embeddings, key, () -> readEmbedding(manifest, key));
    }

    private EmbeddingMatrix readEmbedding(VocabularyRecord manifest, String key) throws DataException {
        EmbeddingMatrix found = null;
        for (ConsumerRecord<String, byte[]> r : readAll(Topics.EMBEDDINGS)) {
            if (key.equals(r.key())) {
                found = r.value() == null ? null : Topics.EMBEDDINGS.valueSerde().deserializer().deserialize(r.topic(), r.value());
            }
        }
        if (found == null) {
            throw new DataException("missing data: no embedding " + key + " on " + Topics.EMBEDDINGS.name());
        }
        int rows = manifest.preprocessing().numWords();
        if (found.rows() != rows) {
            throw new DataException("bad record " + key + " on " + Topics.EMBEDDINGS.name() + ": " + found.rows()
                    + " rows for a vocabulary of " + rows + " ids");
        }
        if (!finite(found.floats())) {
            throw new DataException("bad record " + key + " on " + Topics.EMBEDDINGS.name() + ": non-finite value");
        }
        return found;
    }

    /** The decoded data set, read once per instance and shared by its runs. */
    public Dataset load(VocabularyRecord manifest) throws DataException, InterruptedException {
        return get(cache, manifest.datasetId(), () -> {
            long start = System.nanoTime();
            Split train = readSplit(Topics.TRAIN, manifest, "train");
            Split test = readSplit(Topics.TEST, manifest, "test");
            LOG.infof("read data set %s: %d training and %d test reviews in %.1f s", manifest.datasetId(),
                    train.size(), test.size(), (System.nanoTime() - start) / 1e9);
            return new Dataset(manifest, train, test);
        });
    }

    private static <T> T await(CompletableFuture<T> future) throws DataException, InterruptedException {
        try {
            return future.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof DataException d) {
                throw d;
            }
            throw new DataException("cannot read the data: " + e.getCause().getMessage(), e.getCause());
        }
    }

    private Split readSplit(Topic<String, ReviewSequence> topic, VocabularyRecord manifest, String split)
            throws DataException {
        String datasetId = manifest.datasetId();
        Preprocessing pre = manifest.preprocessing();
        Map<String, ReviewSequence> byKey = new HashMap<>();
        Map<Integer, Long> offsets = new TreeMap<>();
        readAll(topic, offsets, r -> {
            if (r.value() == null) {
                byKey.remove(r.key());
                return;
            }
            ReviewSequence review;
            try {
                review = topic.valueSerde().deserializer().deserialize(r.topic(), r.value());
            } catch (RuntimeException e) {
                // Unreadable bytes cannot say which data set they belong to: a review of this data set with
                // this key is then missing, which fails exactly the runs that need it.
                LOG.warnf("unreadable record %s on %s-%d@%d: %s", r.key(), r.topic(), r.partition(), r.offset(), e.getMessage());
                byKey.remove(r.key());
                return;
            }
            // The latest record of a key wins before the data set is looked at, as compaction will decide:
            // a review replaced by another data set's is gone for this one, however far compaction got.
            byKey.put(r.key(), datasetId.equals(review.datasetId()) ? review.withoutText() : null);
        });
        byKey.values().removeIf(java.util.Objects::isNull);
        int size = expectedCount(manifest, split)
                .orElseGet(() -> byKey.values().stream().mapToInt(ReviewSequence::index).max().orElse(-1) + 1);
        int[][] tokens = new int[size][];
        int[][] allTokens = new int[size][];
        int[] labels = new int[size];
        String[] ids = new String[size];
        Map<Integer, String> problems = new HashMap<>();
        List<Map.Entry<String, ReviewSequence>> entries = new ArrayList<>(byKey.entrySet());
        entries.sort(Map.Entry.comparingByKey(Comparator.naturalOrder()));
        for (Map.Entry<String, ReviewSequence> e : entries) {
            ReviewSequence r = e.getValue();
            int index = r.index();
            if (index < 0 || index >= size) {
                LOG.warnf("review %s of %s has index %d outside the split of %d", e.getKey(), datasetId, index, size);
                continue;
            }
            if (ids[index] != null) {
                problems.put(index, "reviews " + ids[index] + " and " + e.getKey() + " have the same index " + index);
                continue;
            }
            ids[index] = e.getKey();
            String problem = validate(r, pre);
            if (problem != null) {
                problems.put(index, problem);
            } else {
                tokens[index] = r.tokens();
                allTokens[index] = r.allTokens();
                labels[index] = r.label();
            }
        }
        return new Split(topic.name(), datasetId, size, tokens, allTokens, labels, ids, Map.copyOf(problems), Map.copyOf(offsets));
    }

    private static String validate(ReviewSequence r, Preprocessing pre) {
        if (r.label() != 0 && r.label() != 1) {
            return "label " + r.label() + " is not 0 or 1";
        }
        int[] t = r.tokens();
        if (t == null || t.length != pre.maxLen()) {
            return "sequence length " + (t == null ? 0 : t.length) + ", expected " + pre.maxLen();
        }
        String problem = Vocabulary.idsProblem(t, pre.numWords());
        if (problem == null && r.allTokens() != null) {
            problem = Vocabulary.idsProblem(r.allTokens(), pre.numWords());
            return problem == null ? null : "allTokens: " + problem;
        }
        return problem;
    }

    /** The number of reviews of a split the manifest announces ({@code reviews.<split>} of its stats). */
    static Optional<Integer> expectedCount(VocabularyRecord manifest, String split) {
        Map<String, Double> stats = manifest.stats() == null ? Map.of() : manifest.stats();
        for (String key : List.of("reviews." + split)) {
            Double v = stats.get(key);
            if (v != null && v > 0) {
                return Optional.of(v.intValue());
            }
        }
        return Optional.empty();
    }

    private List<ConsumerRecord<String, byte[]>> readAll(Topic<String, ?> topic) {
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        readAll(topic, new TreeMap<>(), out::add);
        return out;
    }

    /** Reads a topic from the beginning up to the end offsets of when the read began. */
    private void readAll(Topic<String, ?> topic, Map<Integer, Long> endOffsets,
            java.util.function.Consumer<ConsumerRecord<String, byte[]>> sink) {
        try (KafkaConsumer<String, byte[]> consumer = clients.readerConsumer("trainer-data-" + topic.name())) {
            TopicScan.readToEnd(consumer, topic.name(), config.kafka().requestTimeout(), sink)
                    .forEach((tp, end) -> endOffsets.put(tp.partition(), end));
        }
    }
}
