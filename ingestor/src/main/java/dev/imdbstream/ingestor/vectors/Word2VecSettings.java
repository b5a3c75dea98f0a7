package dev.imdbstream.ingestor.vectors;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How {@link Word2VecTrainer} trains: skip-gram with negative sampling, DL4J's defaults for the rest (learning
 * rate 0.025 falling linearly to 1e-4, no subsampling of frequent words).
 *
 * @param name             the embedding's name in imdb.embeddings and the manifest
 * @param vectorSize       dimension of the vectors (100, as the GloVe matrix the notebook uses)
 * @param window           words each side of a word that are its context
 * @param minWordFrequency words seen fewer times in the corpus get no vector
 * @param epochs           passes over the corpus
 * @param negative         negative samples per word and context
 * @param seed             seeds the vectors' initialisation and the sampling
 */
public record Word2VecSettings(String name, int vectorSize, int window, int minWordFrequency, int epochs,
        int negative, long seed) {

    /** The default embedding name for vectors of this size: {@code word2vec-imdb-100d}. */
    public static String defaultName(int vectorSize) {
        return "word2vec-imdb-" + vectorSize + "d";
    }

    /** @throws IllegalArgumentException naming the first bad setting */
    public Word2VecSettings {
        if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9._-]*") || name.endsWith("-frozen")) {
            throw new IllegalArgumentException("word2vec name '" + name + "' must be letters, digits, '.', '_' or"
                    + " '-', and not end in -frozen (the trainer's suffix for a frozen embedding)");
        }
        positive("vector size", vectorSize);
        positive("window", window);
        positive("min word frequency", minWordFrequency);
        positive("epochs", epochs);
        positive("negative samples", negative);
    }

    private static void positive(String what, int value) {
        if (value < 1) {
            throw new IllegalArgumentException("word2vec " + what + " must be at least 1, got " + value);
        }
    }

    /** The settings as provenance entries. */
    public Map<String, String> provenance() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("algorithm", "word2vec skip-gram, negative sampling (deeplearning4j-nlp)");
        p.put("vectorSize", Integer.toString(vectorSize));
        p.put("window", Integer.toString(window));
        p.put("minWordFrequency", Integer.toString(minWordFrequency));
        p.put("epochs", Integer.toString(epochs));
        p.put("negative", Integer.toString(negative));
        p.put("seed", Long.toString(seed));
        return p;
    }
}
