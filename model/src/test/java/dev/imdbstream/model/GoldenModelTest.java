package dev.imdbstream.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.io.InputStream;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.imdbstream.common.kafka.JsonSerde;
import dev.imdbstream.common.schema.ModelArtifact;
import dev.imdbstream.model.cpu.BlasKernelCondition;

/**
 * A small artifact written once by {@link GoldenModel} must keep loading and predicting the same: catches changes of
 * the artifact record, the weight format, the layers' JSON (custom layer classes) and the forward pass.
 */
@Tag(BlasKernelCondition.TAG)
class GoldenModelTest {

    static final String TEXT = "The acting was great, the plot was not bad. I liked it!";

    private static final double[] EXPECTED = {0.5210157632827759, 0.5200708508491516, 0.5265759825706482,
            0.5204824209213257};
    private static final double EXPECTED_TEXT = 0.512496829032898;

    @Test
    void shouldLoadTheGoldenArtifactAndPredictItsRecordedOutputs() throws IOException {
        ModelArtifact artifact;
        try (InputStream in = GoldenModelTest.class.getResourceAsStream(GoldenModel.RESOURCE)) {
            assertThat(in).as("golden artifact " + GoldenModel.RESOURCE).isNotNull();
            artifact = new JsonSerde<>(ModelArtifact.class).fromBytes(in.readAllBytes());
        }

        ServingModel model = ServingModel.load(artifact);
        double[] p = model.predict(GoldenModel.inputs());

        assertThat(model.modelId()).isEqualTo("golden-tiny-v1");
        assertThat(artifact.format()).isEqualTo(ModelArtifacts.FORMAT);
        assertThat(p).hasSize(EXPECTED.length);
        for (int i = 0; i < p.length; i++) {
            assertThat(p[i]).as("probability %d", i).isCloseTo(EXPECTED[i], within(1e-6));
        }
        assertThat(model.predictText(TEXT)).isCloseTo(EXPECTED_TEXT, within(1e-6));
    }
}
