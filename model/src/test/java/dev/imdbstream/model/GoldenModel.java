package dev.imdbstream.model;

import java.nio.file.Files;
import java.nio.file.Path;

import dev.imdbstream.common.kafka.JsonSerde;
import dev.imdbstream.common.schema.ModelArtifact;

/**
 * Writes the golden artifact of {@link GoldenModelTest} (run once; rerun only for an intended format change, then
 * update the expected outputs in the test):
 * <pre>
 *   java -cp ... dev.imdbstream.model.GoldenModel model/src/test/resources/golden/tiny-model-v1.json
 * </pre>
 */
final class GoldenModel {

    static final String RESOURCE = "/golden/tiny-model-v1.json";

    private GoldenModel() {
    }

    /** The fixed inputs the golden outputs belong to. */
    static int[][] inputs() {
        return TestData.randomSequences(4, TinyModels.MAX_LEN, 50, 2024, 8);
    }

    public static void main(String[] args) throws Exception {
        ModelArtifact artifact = TinyModels.artifact(TinyModels.trained(20_240, 5), "golden-tiny-v1", 1_700_000_000_000L);
        Files.write(Path.of(args[0]), new JsonSerde<>(ModelArtifact.class).toBytes(artifact));
        double[] p = ServingModel.load(artifact).predict(inputs());
        for (double v : p) {
            System.out.println(v);
        }
        System.out.println("text: " + ServingModel.load(artifact).predictText(GoldenModelTest.TEXT));
    }
}
