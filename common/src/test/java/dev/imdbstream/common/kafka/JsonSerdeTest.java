package dev.imdbstream.common.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

import dev.imdbstream.common.schema.EmbeddingMatrix;
import dev.imdbstream.common.schema.Hyperparameters;
import dev.imdbstream.common.schema.ReviewSequence;
import dev.imdbstream.common.schema.TrainingJob;

class JsonSerdeTest {

    @Test
    void shouldRoundTripAReviewSequence() {
        var serde = (JsonSerde<ReviewSequence>) Topics.TRAIN.valueSerde();
        var review = new ReviewSequence(ReviewSequence.VERSION, "train/pos/1", "ds", "train", 4, 1, 9,
                new int[] {0, 0, 1, 14, 2}, new int[] {1, 14, 2}, "Great <br />film");
        ReviewSequence back = serde.fromBytes(serde.toBytes(review));
        assertThat(back).usingRecursiveComparison().isEqualTo(review);
    }

    @Test
    void shouldRoundTripAnEmbeddingMatrixExactly() {
        float[] values = {0.5f, -0.038194f, Float.MIN_VALUE, 1e30f, 0f, -1f};
        var matrix = EmbeddingMatrix.of("ds", "glove", 3, 2, 1, 42, "test", values);
        var serde = (JsonSerde<EmbeddingMatrix>) Topics.EMBEDDINGS.valueSerde();
        assertThat(serde.fromBytes(serde.toBytes(matrix)).floats()).containsExactly(values);
    }

    @Test
    void shouldIgnoreUnknownFieldsFromNewerProducers() {
        var serde = (JsonSerde<TrainingJob>) Topics.TRAINING_JOBS.valueSerde();
        var job = new TrainingJob(1, "j", "e", "d", "glove", 100, 1, Hyperparameters.notebook(), 5);
        String json = new String(serde.toBytes(job), StandardCharsets.UTF_8).replaceFirst("\\{", "{\"future\":true,");
        assertThat(serde.fromBytes(json.getBytes(StandardCharsets.UTF_8))).isEqualTo(job);
    }

    @Test
    void shouldRaiseKafkasSerializationExceptionOnGarbage() {
        var serde = (JsonSerde<TrainingJob>) Topics.TRAINING_JOBS.valueSerde();
        assertThatThrownBy(() -> serde.fromBytes(new byte[] {(byte) 0xff, 0x7b}))
                .isInstanceOf(SerializationException.class).hasMessageContaining("TrainingJob");
    }
}
