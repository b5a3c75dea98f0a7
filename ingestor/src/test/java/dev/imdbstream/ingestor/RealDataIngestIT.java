package dev.imdbstream.ingestor;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.imdbstream.common.data.DataFiles;
import dev.imdbstream.common.kafka.Topics;
import dev.imdbstream.common.schema.EmbeddingMatrix;
import dev.imdbstream.common.schema.Preprocessing;
import dev.imdbstream.common.schema.ReviewSequence;
import dev.imdbstream.common.schema.VocabularyRecord;
import dev.imdbstream.common.text.Tokenizer;
import dev.imdbstream.kafka.LocalKafka;

/** The full labelled data set and the real GloVe file through a real Kafka node (skipped without the data). */
class RealDataIngestIT {

    @TempDir
    Path dir;

    @Test
    void shouldPublishAllLabelledReviewsAndTheFullSizeEmbeddingMatrix() throws Exception {
        Path archive = TestData.realData("aclImdb_v1.tar.gz");
        Path glove = TestData.realData(DataFiles.GLOVE_100D_IMDB_SUBSET);
        try (LocalKafka kafka = LocalKafka.start(dir.resolve("kafka"))) {
            IngestSettings settings = new IngestSettings(dir, Optional.of(archive), Optional.empty(), dir.resolve("cache"),
                    false, false, false, 113, Preprocessing.defaults(Tokenizer.NAME), true, Optional.of(glove), 100,
                    Optional.empty(), kafka.bootstrapServers(), Duration.ofSeconds(30), Map.of(), false,
                    dev.imdbstream.common.kafka.KafkaSecurity.plaintext(), true, Optional.empty(), Optional.empty());
            ByteArrayOutputStream console = new ByteArrayOutputStream();
            Summary summary = new Ingestor(settings, new PrintStream(console, true, StandardCharsets.UTF_8)).run();
            System.out.println(console.toString(StandardCharsets.UTF_8));
            String id = summary.manifest().datasetId();

            for (var topic : List.of(Topics.TRAIN, Topics.TEST)) {
                List<ReviewSequence> reviews = TopicReader.values(kafka.bootstrapServers(), topic,
                        r -> r.datasetId().equals(id));
                assertThat(reviews).as(topic.name()).hasSize(25_000)
                        .allSatisfy(r -> assertThat(r.tokens()).hasSize(150));
                assertThat(reviews.stream().filter(r -> r.label() == 1)).hasSize(12_500);
            }
            List<EmbeddingMatrix> matrices = TopicReader.values(kafka.bootstrapServers(), Topics.EMBEDDINGS,
                    m -> m.datasetId().equals(id));
            assertThat(matrices).singleElement().satisfies(m -> {
                assertThat(m.name()).isEqualTo("glove.6B.100d");
                assertThat(m.rows()).isEqualTo(10_000);
                assertThat(m.floats()).hasSize(1_000_000);
                assertThat(m.floats()[3 * 100]).as("row 3 = 'the'").isEqualTo(-0.038194f);
            });
            List<VocabularyRecord> manifest = TopicReader.values(kafka.bootstrapServers(), Topics.VOCAB,
                    v -> v.datasetId().equals(id));
            assertThat(manifest).singleElement().satisfies(v -> {
                assertThat(v.words()).hasSize(9_997);
                assertThat(v.expectedReviews("train")).isEqualTo(25_000);
                assertThat(v.embeddings()).singleElement().satisfies(c -> assertThat(c.share()).isBetween(0.95, 1.0));
            });
        }
    }
}
