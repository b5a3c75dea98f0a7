package dev.imdbstream.encoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;

class SentenceEncoderTest {

    private static SentenceEncoder encoder;

    @BeforeAll
    static void load() {
        encoder = SentenceEncoder.load(SentenceEncoder.MINILM, 1);
    }

    @AfterAll
    static void close() {
        encoder.close();
    }

    @Test
    void aShortReviewGetsTheVectorOfTheShippedModel() {
        // Within one window the encoding is the model's own: the library's embedding model, mean pooling, normalised.
        String text = "A quiet, patient film that rewards attention. The acting is superb and the ending stays with you.";
        float[] ours = encoder.encode(text);
        float[] shipped = new AllMiniLmL6V2EmbeddingModel().embed(text).content().vector();
        assertThat(ours).hasSize(384);
        for (int j = 0; j < ours.length; j++) {
            assertThat(ours[j]).isCloseTo(shipped[j], within(1e-5f));
        }
    }

    @Test
    void readsTheWholeOfALongReview() {
        // The shipped model cuts a text after 128 word pieces: a verdict at the end of a long review is lost to it.
        String filler = "The film follows a family through one summer in a small town by the sea. ".repeat(40);
        float[] good = encoder.encode(filler + "It is a wonderful, moving masterpiece and I loved every minute.");
        float[] bad = encoder.encode(filler + "It is a dreadful, boring mess and I hated every minute.");
        assertThat(cosine(good, bad)).isLessThan(0.9999);
        assertThat(norm(good)).isCloseTo(1, within(1e-5));
        assertThat(encoder.encode(filler + "x")).containsExactly(encoder.encode(filler + "x"));
    }

    @Test
    void emptyTextIsAVectorToo() {
        assertThat(norm(encoder.encode(""))).isCloseTo(1, within(1e-5));
    }

    @Test
    void unknownEncoderIsNamed() {
        assertThatThrownBy(() -> SentenceEncoder.load("bert-huge", 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bert-huge").hasMessageContaining(SentenceEncoder.MINILM);
    }

    private static double cosine(float[] a, float[] b) {
        double dot = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
        }
        return dot / norm(a) / norm(b);
    }

    private static double norm(float[] a) {
        double s = 0;
        for (float v : a) {
            s += v * v;
        }
        return Math.sqrt(s);
    }
}
