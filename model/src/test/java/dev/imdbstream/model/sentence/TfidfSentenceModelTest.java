package dev.imdbstream.model.sentence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

import dev.imdbstream.common.schema.Preprocessing;
import dev.imdbstream.common.text.Tokenizer;
import dev.imdbstream.model.tfidf.TfidfFeaturizer;
import dev.imdbstream.model.tfidf.TfidfLogisticModel;

class TfidfSentenceModelTest {

    private static final Preprocessing PRE = new Preprocessing(Tokenizer.NAME, 20, 8, "pre", "pre", 0, 1, 2, 3);
    private static final int[][] REVIEWS = {{1, 5, 6, 7}, {1, 5, 8, 9}, {1, 6, 8, 10}, {1, 7, 9, 10}};

    private static TfidfSentenceModel model() {
        TfidfFeaturizer featurizer = TfidfFeaturizer.fit(REVIEWS, PRE, 1);
        double[] w = new double[featurizer.size()];
        for (int i = 0; i < w.length; i++) {
            w[i] = (i % 3) - 1;
        }
        return new TfidfSentenceModel(new TfidfLogisticModel(featurizer, TfidfLogisticModel.Input.WHOLE_REVIEW, w, 0.2),
                new SentenceLogisticModel("enc", new double[] {1.5, -0.5}, 0));
    }

    @Test
    void scoresTheSumOfBothParts() {
        TfidfSentenceModel m = model();
        float[] v = {0.6f, 0.8f};
        TfidfFeaturizer.Row row = m.terms().featurizer().features(REVIEWS[2]);
        double z = m.terms().logit(row) + 1.5 * 0.6f - 0.5 * 0.8f;
        assertThat(m.probability(row, v)).isCloseTo(1 / (1 + Math.exp(-z)), within(1e-12));
        assertThat(m.predict(new int[][] {REVIEWS[2]}, new float[][] {v})[0]).isEqualTo(m.probability(row, v));
        assertThatThrownBy(() -> m.predict(new int[][] {REVIEWS[2]}, new float[0][])).hasMessageContaining("1 reviews' ids, 0 vectors");
    }

    @Test
    void decodesToTheSameModel() {
        TfidfSentenceModel m = model();
        TfidfSentenceModel back = TfidfSentenceModel.decode(m.encode(), PRE);
        float[] v = {-0.3f, 0.9f};
        for (int[] review : REVIEWS) {
            assertThat(back.predict(new int[][] {review}, new float[][] {v}))
                    .containsExactly(m.predict(new int[][] {review}, new float[][] {v}));
        }
        assertThat(back.encode()).isEqualTo(m.encode());
        assertThat(back.vector().encoder()).isEqualTo("enc");
    }

    @Test
    void rejectsBadBytesWithAReason() {
        byte[] bytes = model().encode();
        byte[] magic = bytes.clone();
        magic[0] = 'X';
        assertThatThrownBy(() -> TfidfSentenceModel.decode(magic, PRE)).hasMessageContaining("not a TSLR encoding");
        byte[] length = bytes.clone();
        length[8] = 0x7f;
        assertThatThrownBy(() -> TfidfSentenceModel.decode(length, PRE)).hasMessageContaining("terms part");
        assertThatThrownBy(() -> TfidfSentenceModel.decode(Arrays.copyOf(bytes, bytes.length - 3), PRE))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TfidfSentenceModel.decode(new byte[5], PRE)).hasMessageContaining("shorter than the header");
    }
}
