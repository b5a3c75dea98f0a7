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
    GLOVE_FROZEN("glove-frozen", true, false),
    /** Rows from another named {@code EmbeddingMatrix} of the data set (e.g. {@code word2vec-imdb-100d}), trainable. */
    PRETRAINED("pretrained", true, true),
    /** Rows from another named {@code EmbeddingMatrix} ({@code <name>-frozen}), frozen. */
    PRETRAINED_FROZEN("pretrained-frozen", true, false);

    private static final String FROZEN = "-frozen";

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

    /**
     * The variant of a study's variant name: a constant's id, or the name of an embedding matrix
     * ({@link #PRETRAINED}) with {@code -frozen} to freeze it ({@link #PRETRAINED_FROZEN}). Whether the data set
     * offers that matrix is the caller's check (the trainer's {@code Variant.resolve}).
     *
     * @throws IllegalArgumentException for a name that is neither
     */
    public static EmbeddingVariant forName(String name) {
        for (EmbeddingVariant v : values()) {
            if (v.id.equals(name)) {
                return v;
            }
        }
        if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
            throw new IllegalArgumentException("'" + name + "' is no embedding variant nor embedding name");
        }
        return name.endsWith(FROZEN) ? PRETRAINED_FROZEN : PRETRAINED;
    }

    /** The constant with this id (no embedding names: see {@link #forName(String)}). */
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
