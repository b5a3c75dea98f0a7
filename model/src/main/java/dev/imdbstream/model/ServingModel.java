package dev.imdbstream.model;

import java.util.List;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

import dev.imdbstream.common.schema.ModelArtifact;
import dev.imdbstream.common.text.Vocabulary;

/**
 * A model loaded from a {@link ModelArtifact}, ready to score: consumes raw review text or padded token-id
 * sequences, produces positive-class probabilities, applying the vocabulary and padding rules it was trained with.
 * Thread-safe: calls are serialized on the one network (use one instance per thread for parallel scoring).
 */
public final class ServingModel {

    private final ModelArtifact artifact;
    private final Vocabulary vocabulary;
    private final MultiLayerNetwork network;

    private ServingModel(ModelArtifact artifact, Vocabulary vocabulary, MultiLayerNetwork network) {
        this.artifact = artifact;
        this.vocabulary = vocabulary;
        this.network = network;
    }

    /**
     * @throws IllegalArgumentException if the artifact's schema version or weight format is not one this build reads
     */
    public static ServingModel load(ModelArtifact artifact) {
        if (artifact.schemaVersion() != ModelArtifact.VERSION) {
            throw new IllegalArgumentException("model " + artifact.modelId() + ": artifact schema v"
                    + artifact.schemaVersion() + " is not supported (expected v" + ModelArtifact.VERSION + ")");
        }
        if (!ModelArtifacts.FORMAT.equals(artifact.format())) {
            throw new IllegalArgumentException("model " + artifact.modelId() + ": weight format '" + artifact.format()
                    + "' is not supported (expected " + ModelArtifacts.FORMAT + ")");
        }
        Vocabulary vocabulary = new Vocabulary(artifact.preprocessing(), artifact.words());
        return new ServingModel(artifact, vocabulary, ModelArtifacts.network(artifact.weights()));
    }

    public String modelId() {
        return artifact.modelId();
    }

    public String variant() {
        return artifact.variant();
    }

    public int subsetSize() {
        return artifact.subsetSize();
    }

    public Vocabulary vocabulary() {
        return vocabulary;
    }

    /** The artifact this model was loaded from (metadata, provenance, metrics). */
    public ModelArtifact artifact() {
        return artifact;
    }

    /**
     * Probabilities of padded sequences, as produced by {@link Vocabulary#encodeText} or the ingestor.
     *
     * @throws IllegalArgumentException naming the first sequence that this model's preprocessing could not produce
     */
    public double[] predict(int[][] sequences) {
        if (sequences.length == 0) {
            return new double[0];
        }
        for (int i = 0; i < sequences.length; i++) {
            String problem = vocabulary.validate(sequences[i]);
            if (problem != null) {
                throw new IllegalArgumentException("sequence " + i + ": " + problem);
            }
        }
        synchronized (network) {
            return Inference.predict(network, sequences, vocabulary.preprocessing().padId());
        }
    }

    /** Probability that a raw review is positive. */
    public double predictText(String text) {
        return predict(new int[][] {vocabulary.encodeText(text)})[0];
    }

    /** Probabilities of raw reviews, scored in batches. */
    public double[] predictTexts(List<String> texts) {
        int[][] sequences = new int[texts.size()][];
        for (int i = 0; i < sequences.length; i++) {
            sequences[i] = vocabulary.encodeText(texts.get(i));
        }
        return predict(sequences);
    }
}
