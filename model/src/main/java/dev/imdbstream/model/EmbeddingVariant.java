package dev.imdbstream.model;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * How the embedding layer starts and whether it learns. A variant's {@link #id()} is the name used on the wire
 * ({@code TrainingJob.variant}, {@code ModelArtifact.variant}); add a constant here to add a variant.
 */
public enum EmbeddingVariant {

    /** Keras-like uniform(-0.05, 0.05) initialisation, trainable. */
    RANDOM("random", false, true),
    /** Rows from the GloVe {@code EmbeddingMatrix} (row i = word id i), trainable. */
    GLOVE("glove", true, true),
    /** Rows from the GloVe {@code EmbeddingMatrix}, frozen (not updated, not decayed). */
    GLOVE_FROZEN("glove-frozen", true, false);

    private final String id;
    private final boolean pretrained;
    private final boolean trainable;

    EmbeddingVariant(String id, boolean pretrained, boolean trainable) {
        this.id = id;
        this.pretrained = pretrained;
        this.trainable = trainable;
    }

    public String id() {
        return id;
    }

    /** True when the network must be built with an {@code EmbeddingMatrix}. */
    public boolean pretrained() {
        return pretrained;
    }

    public boolean trainable() {
        return trainable;
    }

    public static EmbeddingVariant of(String id) {
        for (EmbeddingVariant v : values()) {
            if (v.id.equals(id)) {
                return v;
            }
        }
        throw new IllegalArgumentException("unknown embedding variant '" + id + "', known: "
                + Arrays.stream(values()).map(EmbeddingVariant::id).collect(Collectors.joining(", ")));
    }
}
