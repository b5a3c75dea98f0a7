package dev.imdbstream.ingestor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.imdbstream.common.data.AclImdbReader;
import dev.imdbstream.common.data.DataFileException;
import dev.imdbstream.common.data.ImdbSplit;
import dev.imdbstream.common.kafka.Topic;
import dev.imdbstream.common.kafka.Topics;
import dev.imdbstream.common.schema.EmbeddingMatrix;
import dev.imdbstream.common.schema.Preprocessing;
import dev.imdbstream.common.schema.ReviewEmbedding;
import dev.imdbstream.common.schema.ReviewSequence;
import dev.imdbstream.common.schema.VocabularyRecord;
import dev.imdbstream.common.text.Tokenizer;
import dev.imdbstream.encoder.SentenceEncoder;
import dev.imdbstream.ingestor.data.DatasetBuilder;
import dev.imdbstream.ingestor.data.PreparedDataset;
import dev.imdbstream.ingestor.kafka.KafkaUnavailableException;
import dev.imdbstream.ingestor.vectors.ReviewEncodingJob;
import dev.imdbstream.ingestor.vectors.Word2VecSettings;
import dev.imdbstream.kafka.LocalKafka;

/** The ingestor against a real Kafka node (KRaft) started by the test. */
class IngestorIT {

    private static final Preprocessing SMALL = new Preprocessing(Tokenizer.NAME, 9, 4, "pre", "pre", 0, 1, 2, 3);

    @TempDir
    static Path dir;
    static LocalKafka kafka;
    static Path archive;
    static Path glove;

    @BeforeAll
    static void start() throws IOException {
        kafka = LocalKafka.start(dir.resolve("kafka"));
        archive = TestData.writeTarGz(dir.resolve("aclImdb_v1.tar.gz"));
        glove = TestData.writeGlove(dir.resolve("glove.6B.3d.txt"));
    }

    @AfterAll
    static void stop() {
        if (kafka != null) {
            kafka.close();
        }
    }

    private static IngestSettings settings(Path source, Path glovePath, int gloveDim, long seed, String bootstrap,
            Duration timeout, boolean unsup) {
        return settings(source, glovePath, gloveDim, seed, bootstrap, timeout, unsup, Optional.empty());
    }

    private static IngestSettings settings(Path source, Path glovePath, int gloveDim, long seed, String bootstrap,
            Duration timeout, boolean unsup, Optional<Word2VecSettings> word2vec) {
        return new IngestSettings(dir, Optional.of(source), Optional.empty(), dir.resolve("cache"), false, unsup,
                true, seed, SMALL, true, Optional.of(glovePath), gloveDim, Optional.empty(), bootstrap, timeout,
                Map.of("compression.type", "lz4"), false, dev.imdbstream.common.kafka.KafkaSecurity.plaintext(), true,
                word2vec, Optional.empty());
    }

    private static Summary ingest(IngestSettings settings) throws Exception {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(console, true, StandardCharsets.UTF_8)) {
            return new Ingestor(settings, out).run();
        }
    }

    private static int count(Topic<?, ?> topic) {
        return TopicReader.readAll(kafka.bootstrapServers(), topic).size();
    }

    @Test
    void shouldPublishTheWord2VecMatrixBesideGloVesAndListItInTheManifest() throws Exception {
        Word2VecSettings w2v = new Word2VecSettings("word2vec-it-4d", 4, 2, 2, 1, 2, 5);
        Summary summary = ingest(settings(archive, glove, 3, 3, kafka.bootstrapServers(), Duration.ofSeconds(30),
                false, Optional.of(w2v)));
        String id = summary.manifest().datasetId();

        List<EmbeddingMatrix> matrices = TopicReader.values(kafka.bootstrapServers(), Topics.EMBEDDINGS,
                m -> m.datasetId().equals(id));
        assertThat(matrices).extracting(EmbeddingMatrix::name).containsExactlyInAnyOrder("glove.6B.3d", "word2vec-it-4d");
        EmbeddingMatrix word2vec = matrices.stream().filter(m -> m.name().equals("word2vec-it-4d")).findFirst()
                .orElseThrow();
        assertThat(word2vec.rows()).isEqualTo(SMALL.numWords());
        assertThat(word2vec.dim()).isEqualTo(4);
        assertThat(word2vec.floats()).hasSize(SMALL.numWords() * 4);
        assertThat(word2vec.provenance()).containsEntry("reviews.train", "6").containsEntry("reviews.unsup", "1")
                .containsEntry("epochs", "1").containsKey("trainingSeconds");
        assertThat(matrices.stream().filter(m -> m.name().equals("glove.6B.3d")).findFirst().orElseThrow().provenance())
                .isNull();
        List<VocabularyRecord> manifests = TopicReader.values(kafka.bootstrapServers(), Topics.VOCAB,
                v -> v.datasetId().equals(id));
        assertThat(manifests).singleElement().satisfies(v -> {
            assertThat(v.embeddings()).extracting(c -> c.name()).containsExactly("glove.6B.3d", "word2vec-it-4d");
            assertThat(v.embeddings().get(1).covered()).isEqualTo(word2vec.covered()).isPositive();
            assertThat(v.expectedReviews("unsup")).as("unsup read for the vectors, not published").isZero();
        });
    }

    @Test
    void shouldEncodeEveryLabelledReviewOnceWithTheSentenceEncoderAndPublishTheVectors() throws Exception {
        IngestSettings plain = settings(archive, glove, 3, 4, kafka.bootstrapServers(), Duration.ofSeconds(30), false);
        IngestSettings encoding = new IngestSettings(plain.dataDir(), plain.source(), plain.wordIndex(), plain.cacheDir(),
                false, false, false, plain.seed(), plain.preprocessing(), true, plain.glovePath(), plain.gloveDim(),
                Optional.empty(), plain.bootstrapServers(), plain.timeout(), plain.producer(), false, plain.security(),
                true, Optional.empty(), Optional.of(new ReviewEncodingJob.Settings(SentenceEncoder.MINILM, 2)));
        Summary summary = ingest(encoding);
        String id = summary.manifest().datasetId();

        List<ReviewEmbedding> vectors = TopicReader.values(kafka.bootstrapServers(), Topics.REVIEW_EMBEDDINGS,
                v -> v.datasetId().equals(id));
        List<ReviewSequence> train = TopicReader.values(kafka.bootstrapServers(), Topics.TRAIN, r -> r.datasetId().equals(id));
        List<ReviewSequence> test = TopicReader.values(kafka.bootstrapServers(), Topics.TEST, r -> r.datasetId().equals(id));
        assertThat(train).allSatisfy(r -> assertThat(r.text()).as("text not asked for").isNull());
        assertThat(vectors).hasSize(train.size() + test.size());
        PreparedDataset texts = new DatasetBuilder(new DatasetBuilder.Options(SMALL, 4, false, true))
                .fromAclImdb(AclImdbReader.of(archive), (s, i, t) -> { });
        Map<String, String> textById = new java.util.HashMap<>();
        texts.reviews(ImdbSplit.TRAIN).forEach(r -> textById.put(r.id(), r.text()));
        texts.reviews(ImdbSplit.TEST).forEach(r -> textById.put(r.id(), r.text()));
        try (SentenceEncoder encoder = SentenceEncoder.load(SentenceEncoder.MINILM, 1)) {
            for (ReviewEmbedding v : vectors) {
                assertThat(v.encoder()).isEqualTo(SentenceEncoder.MINILM);
                assertThat(v.key()).isEqualTo(ReviewEmbedding.key(id, SentenceEncoder.MINILM, v.id()));
                assertThat(v.floats()).as(v.id()).containsExactly(encoder.encode(textById.get(v.id())));
            }
        }
        assertThat(vectors).extracting(ReviewEmbedding::split).containsOnly("train", "test");

        // Once per data set: a second run finds every vector there and encodes none.
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(console, true, StandardCharsets.UTF_8)) {
            new Ingestor(encoding, out).run();
        }
        assertThat(console.toString(StandardCharsets.UTF_8)).contains("0 encoded, " + vectors.size() + " already there");
        assertThat(TopicReader.values(kafka.bootstrapServers(), Topics.REVIEW_EMBEDDINGS, v -> v.datasetId().equals(id)))
                .hasSize(vectors.size());
    }

    @Test
    void shouldPublishTheDataSetWithTheManifestLastAndReadBackTheSameRecords() throws Exception {
        Summary summary = ingest(settings(archive, glove, 3, 1, kafka.bootstrapServers(), Duration.ofSeconds(30), true));
        String id = summary.manifest().datasetId();
        PreparedDataset expected = new DatasetBuilder(new DatasetBuilder.Options(SMALL, 1, true, true))
                .fromAclImdb(AclImdbReader.of(archive), (s, i, t) -> { });

        for (ImdbSplit split : ImdbSplit.values()) {
            Topic<String, ReviewSequence> topic = split == ImdbSplit.TRAIN ? Topics.TRAIN
                    : split == ImdbSplit.TEST ? Topics.TEST : Topics.UNSUP;
            List<ReviewSequence> read = TopicReader.values(kafka.bootstrapServers(), topic, r -> r.datasetId().equals(id));
            assertThat(read).as(split.wireName()).usingRecursiveFieldByFieldElementComparator()
                    .containsExactlyInAnyOrderElementsOf(expected.reviews(split));
            assertThat(read).hasSize(summary.manifest().expectedReviews(split.wireName()));
        }
        List<EmbeddingMatrix> matrices = TopicReader.values(kafka.bootstrapServers(), Topics.EMBEDDINGS,
                m -> m.datasetId().equals(id));
        assertThat(matrices).singleElement().satisfies(m -> {
            assertThat(m.name()).isEqualTo("glove.6B.3d");
            float[] values = m.floats();
            int great = expected.vocabulary().id("great");
            assertThat(Arrays.copyOfRange(values, great * 3, great * 3 + 3)).containsExactly(40f, 41f, 42f);
            assertThat(m.covered()).isEqualTo(3);
        });
        List<VocabularyRecord> manifests = TopicReader.values(kafka.bootstrapServers(), Topics.VOCAB,
                v -> v.datasetId().equals(id));
        assertThat(manifests).singleElement().satisfies(v -> {
            assertThat(v.words()).containsExactlyElementsOf(expected.vocabulary().words());
            assertThat(v.preprocessing()).isEqualTo(SMALL);
            assertThat(v.expectedReviews("train")).isEqualTo(6);
            assertThat(v.embeddings()).singleElement().satisfies(c -> assertThat(c.covered()).isEqualTo(3));
        });
        long manifestTime = TopicReader.readAll(kafka.bootstrapServers(), Topics.VOCAB).stream()
                .mapToLong(ConsumerRecord::timestamp).max().orElseThrow();
        for (Topic<?, ?> t : List.of(Topics.TRAIN, Topics.TEST, Topics.UNSUP, Topics.EMBEDDINGS)) {
            assertThat(TopicReader.readAll(kafka.bootstrapServers(), t)).as(t.name())
                    .allSatisfy(r -> assertThat(r.timestamp()).isLessThanOrEqualTo(manifestTime));
        }
    }

    @Test
    void shouldRepublishIdenticalRecordsUnderTheSameKeysOnARerun() throws Exception {
        IngestSettings settings = settings(archive, glove, 3, 2, kafka.bootstrapServers(), Duration.ofSeconds(30), false);
        String first = ingest(settings).manifest().datasetId();
        String second = ingest(settings).manifest().datasetId();

        assertThat(second).isEqualTo(first);
        for (Topic<?, ?> topic : List.of(Topics.TRAIN, Topics.TEST, Topics.EMBEDDINGS)) {
            Map<String, List<byte[]>> byKey = new HashMap<>();
            for (ConsumerRecord<byte[], byte[]> r : TopicReader.readAll(kafka.bootstrapServers(), topic)) {
                String key = new String(r.key(), StandardCharsets.UTF_8);
                if (key.startsWith(first + "/")) {
                    byKey.computeIfAbsent(key, k -> new java.util.ArrayList<>()).add(r.value());
                }
            }
            assertThat(byKey).as(topic.name()).isNotEmpty();
            byKey.forEach((key, values) -> {
                assertThat(values).as(key).hasSize(2);
                assertThat(values.get(1)).as(key).isEqualTo(values.get(0));
            });
        }
        List<VocabularyRecord> manifests = TopicReader.values(kafka.bootstrapServers(), Topics.VOCAB,
                v -> v.datasetId().equals(first));
        assertThat(manifests).hasSize(2);
        assertThat(manifests.get(1)).usingRecursiveComparison().ignoringFields("createdAtMs").isEqualTo(manifests.get(0));
    }

    @Test
    void shouldPublishNothingForAMissingOrCorruptArchive() throws Exception {
        byte[] bytes = Files.readAllBytes(archive);
        Path truncated = Files.write(dir.resolve("truncated.tar.gz"), Arrays.copyOf(bytes, bytes.length / 2));
        int vocabBefore = count(Topics.VOCAB);
        int trainBefore = count(Topics.TRAIN);

        assertThatThrownBy(() -> ingest(settings(dir.resolve("missing.tar.gz"), glove, 3, 3, kafka.bootstrapServers(),
                Duration.ofSeconds(30), false))).isInstanceOf(DataFileException.class).hasMessageContaining("missing.tar.gz");
        assertThatThrownBy(() -> ingest(settings(truncated, glove, 3, 3, kafka.bootstrapServers(),
                Duration.ofSeconds(30), false))).isInstanceOf(DataFileException.class).hasMessageContaining("truncated.tar.gz");

        assertThat(count(Topics.VOCAB)).isEqualTo(vocabBefore);
        assertThat(count(Topics.TRAIN)).isEqualTo(trainBefore);
    }

    @Test
    void shouldPublishNoManifestForGloveOfTheWrongDimension() throws Exception {
        Path glove50 = Files.writeString(dir.resolve("glove.6B.50d.txt"), "great " + "0.5 ".repeat(50).strip() + "\n");
        int vocabBefore = count(Topics.VOCAB);

        assertThatThrownBy(() -> ingest(settings(archive, glove50, 3, 4, kafka.bootstrapServers(),
                Duration.ofSeconds(30), false)))
                .isInstanceOf(DataFileException.class)
                .hasMessageContaining("glove.6B.50d.txt has 50-dimensional vectors, expected 3");
        assertThat(count(Topics.VOCAB)).isEqualTo(vocabBefore);
    }

    @Test
    void shouldGiveUpOnAnUnreachableBrokerWithinTheTimeout() {
        String nobody = "127.0.0.1:" + LocalKafka.freePort();
        assertThatThrownBy(() -> ingest(settings(archive, glove, 3, 5, nobody, Duration.ofSeconds(3), false)))
                .isInstanceOf(KafkaUnavailableException.class)
                .hasMessageContaining("cannot reach Kafka at " + nobody + " within 3 s");
    }
}
