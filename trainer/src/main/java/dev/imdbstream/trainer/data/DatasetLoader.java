package dev.imdbstream.trainer.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

    public DatasetLoader(KafkaClients clients, StudyView view, TrainerConfig config) {
        this.clients = clients;
        this.view = view;
        this.config = config;
        this.cache = cache(config.data().cachedDatasets());
        this.embeddings = cache(2L * config.data().cachedDatasets());
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

    /** Selects a run's reviews; fails with the reason when one of them is missing or unusable. */
    public RunData select(TrainingJob job, VocabularyRecord manifest) throws DataException, InterruptedException {
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
        return new RunData(examples(data.train(), subset), examples(data.train(), validation), examples(data.test(), test),
                subset, provenance);
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
        for (float v : found.floats()) {
            if (!Float.isFinite(v)) {
                throw new DataException("bad record " + key + " on " + Topics.EMBEDDINGS.name() + ": non-finite value");
            }
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
            byKey.put(r.key(), datasetId.equals(review.datasetId())
                    ? new ReviewSequence(review.schemaVersion(), review.id(), datasetId, review.split(), review.index(),
                            review.label(), review.rating(), review.tokens(), review.allTokens(), null)
                    : null);
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
    static java.util.Optional<Integer> expectedCount(VocabularyRecord manifest, String split) {
        Map<String, Double> stats = manifest.stats() == null ? Map.of() : manifest.stats();
        for (String key : List.of("reviews." + split)) {
            Double v = stats.get(key);
            if (v != null && v > 0) {
                return java.util.Optional.of(v.intValue());
            }
        }
        return java.util.Optional.empty();
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
