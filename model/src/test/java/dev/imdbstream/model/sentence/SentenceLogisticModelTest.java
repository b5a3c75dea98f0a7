package dev.imdbstream.model.sentence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

class SentenceLogisticModelTest {

    private static final SentenceLogisticModel MODEL = new SentenceLogisticModel("enc", new double[] {2, -1, 0.5}, -0.25);

    @Test
    void scoresAVectorAsTheLogisticOfItsDotProduct() {
        assertThat(MODEL.probability(new float[] {1, 1, 2})).isCloseTo(1 / (1 + Math.exp(-(2 - 1 + 1 - 0.25))), within(1e-12));
        assertThat(MODEL.predict(new float[][] {{0, 0, 0}})[0]).isCloseTo(1 / (1 + Math.exp(0.25)), within(1e-12));
    }

    @Test
    void decodesToTheSameModel() {
        SentenceLogisticModel back = SentenceLogisticModel.decode(MODEL.encode());
        assertThat(back.encoder()).isEqualTo("enc");
        assertThat(back.dimension()).isEqualTo(3);
        float[] v = {0.3f, -0.7f, 0.1f};
        assertThat(back.probability(v)).isEqualTo(MODEL.probability(v));
        assertThat(back.encode()).isEqualTo(MODEL.encode());
    }

    @Test
    void rejectsBadBytesAndVectorsWithAReason() {
        byte[] bytes = MODEL.encode();
        assertThatThrownBy(() -> SentenceLogisticModel.decode(Arrays.copyOf(bytes, bytes.length - 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("do not fill");
        byte[] magic = bytes.clone();
        magic[0] = 'X';
        assertThatThrownBy(() -> SentenceLogisticModel.decode(magic)).hasMessageContaining("not a SELR encoding");
        assertThatThrownBy(() -> SentenceLogisticModel.decode(new byte[3])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MODEL.probability(new float[4])).hasMessageContaining("4 values, the model reads 3");
        assertThatThrownBy(() -> new SentenceLogisticModel("enc", new double[] {Double.NaN}, 0))
                .hasMessageContaining("not finite");
    }
}
