package dev.imdbstream.model;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;

import dev.imdbstream.common.schema.Hyperparameters;
import dev.imdbstream.common.schema.ModelArtifact;
import dev.imdbstream.common.text.Vocabulary;

/**
 * Encodes a trained network into the {@code models} topic's {@link ModelArtifact} and back. The weights are DL4J's
 * ModelSerializer zip (configuration JSON + parameters, including BatchNormalization's running statistics) without
 * updater state: about 4 bytes per parameter, ~5 MB for the notebook's model.
 */
public final class ModelArtifacts {

    /** {@link ModelArtifact#format()} of artifacts written here. */
    public static final String FORMAT = "dl4j-multilayer-v1";

    private ModelArtifacts() {
    }

    /**
     * What an artifact carries besides the weights.
     *
     * @param metrics    at least {@code valLoss}, {@code valAccuracy}, {@code testAccuracy}
     * @param provenance experiment, job, subset, epochs, code revision, ... (the network's settings are added)
     */
    public record Description(String modelId, String variant, int subsetSize, long seed, String experimentId,
            String jobId, String datasetId, Vocabulary vocabulary, Hyperparameters hyperparameters,
            Map<String, Double> metrics, Map<String, String> provenance) {
    }

    /** The network's configuration and parameters as a ModelSerializer zip, without updater state. */
    public static byte[] weights(MultiLayerNetwork net) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(4 * (int) Math.min(Integer.MAX_VALUE / 4, net.numParams()));
        try {
            ModelSerializer.writeModel(net, out, false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serialize network", e);
        }
        return out.toByteArray();
    }

    /**
     * A network from {@link #weights(MultiLayerNetwork)}, ready for inference (no updater state), computing its
     * BiLSTM with the implementation of the current backend whichever it was written with (both give the same
     * predictions from the same parameters).
     */
    public static MultiLayerNetwork network(byte[] weights) {
        return BiLstmLayers.withImpl(stored(weights), LstmImpl.forCurrentBackend());
    }

    /** The network exactly as stored, BiLSTM implementation included. */
    public static MultiLayerNetwork stored(byte[] weights) {
        try {
            return ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(weights), false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read network weights", e);
        }
    }

    /**
     * The artifact of a trained network.
     *
     * @param network its settings go into the provenance under {@code net.*}; may be null if unknown
     */
    public static ModelArtifact encode(MultiLayerNetwork net, Description d, NetworkConfig network, long createdAtMs) {
        Map<String, String> provenance = new LinkedHashMap<>(d.provenance());
        if (network != null) {
            provenance.putAll(network.describe());
        }
        return new ModelArtifact(ModelArtifact.VERSION, d.modelId(), d.variant(), d.subsetSize(), d.seed(),
                d.experimentId(), d.jobId(), d.datasetId(), FORMAT, d.vocabulary().preprocessing(),
                d.vocabulary().words(), d.hyperparameters(), Map.copyOf(d.metrics()), Map.copyOf(provenance),
                weights(net), createdAtMs);
    }
}
