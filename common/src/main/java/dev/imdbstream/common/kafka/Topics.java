package dev.imdbstream.common.kafka;

import java.util.List;
import java.util.Map;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

import dev.imdbstream.common.schema.DeadLetter;
import dev.imdbstream.common.schema.EmbeddingMatrix;
import dev.imdbstream.common.schema.EpochMetrics;
import dev.imdbstream.common.schema.ExperimentCancellation;
import dev.imdbstream.common.schema.ModelArtifact;
import dev.imdbstream.common.schema.Prediction;
import dev.imdbstream.common.schema.ReviewInput;
import dev.imdbstream.common.schema.ReviewEmbedding;
import dev.imdbstream.common.schema.ReviewSequence;
import dev.imdbstream.common.schema.TrainingJob;
import dev.imdbstream.common.schema.TrainingResult;
import dev.imdbstream.common.schema.VocabularyRecord;

/** Every topic of the system (README.md, "Topics"), with its serdes and creation settings. Names are fixed. */
public final class Topics {

    /** Kafka's broker default for {@code message.max.bytes}. */
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 1_048_588;
    /** Embedding matrices (10k x 100 floats) and serving artifacts (about 5 MB of weights) are large. */
    public static final int LARGE_MESSAGE_BYTES = 64 * 1024 * 1024;

    private static final Serde<String> KEY = Serdes.String();

    private static final Map<String, String> COMPACTED_LARGE = Map.of(
            "cleanup.policy", "compact",
            "max.message.bytes", String.valueOf(LARGE_MESSAGE_BYTES),
            "min.cleanable.dirty.ratio", "0.1",
            "segment.bytes", String.valueOf(128 * 1024 * 1024));
    /** Data set topics are replaced by re-ingestion (same keys), so compaction keeps one copy of each review. */
    private static final Map<String, String> COMPACTED = Map.of("cleanup.policy", "compact");
    /** Jobs, epochs and cancellations are a few hundred bytes: the broker refuses anything near this. */
    public static final int SMALL_MESSAGE_BYTES = 64 * 1024;
    private static final Map<String, String> KEEP_FOREVER_SMALL = Map.of("retention.ms", "-1",
            "max.message.bytes", String.valueOf(SMALL_MESSAGE_BYTES));
    private static final Map<String, String> WEEK = Map.of("retention.ms", String.valueOf(7L * 24 * 3600 * 1000));

    public static final Topic<String, VocabularyRecord> VOCAB = new Topic<>("imdb.vocab", KEY,
            new JsonSerde<>(VocabularyRecord.class), 1, COMPACTED_LARGE);
    public static final Topic<String, EmbeddingMatrix> EMBEDDINGS = new Topic<>("imdb.embeddings", KEY,
            new JsonSerde<>(EmbeddingMatrix.class), 1, COMPACTED_LARGE);
    public static final Topic<String, ReviewSequence> TRAIN = new Topic<>("imdb.train", KEY,
            new JsonSerde<>(ReviewSequence.class), 3, COMPACTED);
    public static final Topic<String, ReviewSequence> TEST = new Topic<>("imdb.test", KEY,
            new JsonSerde<>(ReviewSequence.class), 3, COMPACTED);
    /** The 50,000 unlabelled training reviews, published only when asked (for in-domain embeddings). */
    public static final Topic<String, ReviewSequence> UNSUP = new Topic<>("imdb.unsup", KEY,
            new JsonSerde<>(ReviewSequence.class), 3, COMPACTED);

    /** Reviews as a frozen sentence encoder reads them, published only when asked (the encoder variants). */
    public static final Topic<String, ReviewEmbedding> REVIEW_EMBEDDINGS = new Topic<>("imdb.review-embeddings", KEY,
            new JsonSerde<>(ReviewEmbedding.class), 3, COMPACTED);

    public static final Topic<String, TrainingJob> TRAINING_JOBS = new Topic<>("training.jobs", KEY,
            new JsonSerde<>(TrainingJob.class), 6, KEEP_FOREVER_SMALL);
    public static final Topic<String, EpochMetrics> TRAINING_METRICS = new Topic<>("training.metrics", KEY,
            new JsonSerde<>(EpochMetrics.class), 3, KEEP_FOREVER_SMALL);
    /** Read whole by every trainer instance: one record per cancelled experiment (key: experiment id). */
    public static final Topic<String, ExperimentCancellation> TRAINING_CANCELLATIONS = new Topic<>(
            "training.cancellations", KEY, new JsonSerde<>(ExperimentCancellation.class), 1, Map.of(
                    "cleanup.policy", "compact", "max.message.bytes", String.valueOf(SMALL_MESSAGE_BYTES)));
    public static final Topic<String, TrainingResult> TRAINING_RESULTS = new Topic<>("training.results", KEY,
            new JsonSerde<>(TrainingResult.class), 3, Map.of("retention.ms", "-1",
                    "max.message.bytes", String.valueOf(16 * 1024 * 1024)));
    public static final Topic<String, ModelArtifact> MODELS = new Topic<>("models", KEY,
            new JsonSerde<>(ModelArtifact.class), 1, COMPACTED_LARGE);

    /** Keys of {@code reviews} are arbitrary bytes: the scorer copies them to its outputs untouched. */
    public static final Topic<byte[], byte[]> REVIEWS = new Topic<>("reviews", Serdes.ByteArray(),
            Serdes.ByteArray(), 6, WEEK);
    public static final Topic<byte[], Prediction> PREDICTIONS = new Topic<>("predictions", Serdes.ByteArray(),
            new JsonSerde<>(Prediction.class), 6, WEEK);
    public static final Topic<byte[], DeadLetter> REVIEWS_DLQ = new Topic<>("reviews.dlq", Serdes.ByteArray(),
            new JsonSerde<>(DeadLetter.class), 1, Map.of("retention.ms", "-1",
                    "max.message.bytes", String.valueOf(16 * 1024 * 1024)));

    /** The JSON serde of free-form review input, for producers that send {@code {id, text}}. */
    public static final JsonSerde<ReviewInput> REVIEW_INPUT = new JsonSerde<>(ReviewInput.class);

    public static final List<Topic<?, ?>> ALL = List.of(VOCAB, EMBEDDINGS, TRAIN, TEST, UNSUP, REVIEW_EMBEDDINGS, TRAINING_JOBS,
            TRAINING_METRICS, TRAINING_RESULTS, TRAINING_CANCELLATIONS, MODELS, REVIEWS, PREDICTIONS, REVIEWS_DLQ);

    private Topics() {
    }
}
