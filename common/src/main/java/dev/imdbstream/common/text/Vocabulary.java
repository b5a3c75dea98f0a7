package dev.imdbstream.common.text;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import dev.imdbstream.common.schema.Preprocessing;

/**
 * Word ids and padding, Keras' {@code imdb.load_data} layout: 0 padding, 1 start, 2 out of vocabulary,
 * words from {@code indexFrom} (3) by falling frequency in the training split, every id below
 * {@code numWords}. Built once by the ingestor and shipped (words + {@link Preprocessing}) with every
 * model, so the scorer encodes text exactly as training did. Immutable and thread-safe.
 */
public final class Vocabulary {

    private final Preprocessing preprocessing;
    private final List<String> words;
    private final Map<String, Integer> ids;

    public Vocabulary(Preprocessing preprocessing, List<String> words) {
        int capacity = preprocessing.numWords() - preprocessing.indexFrom();
        if (words.size() > capacity) {
            throw new IllegalArgumentException(words.size() + " words do not fit below numWords="
                    + preprocessing.numWords() + " from id " + preprocessing.indexFrom());
        }
        this.preprocessing = preprocessing;
        this.words = List.copyOf(words);
        this.ids = new HashMap<>(words.size() * 2);
        for (int i = 0; i < words.size(); i++) {
            if (ids.putIfAbsent(words.get(i), preprocessing.indexFrom() + i) != null) {
                throw new IllegalArgumentException("duplicate word in vocabulary: " + words.get(i));
            }
        }
    }

    /**
     * Ranks words by falling count, ties broken by the word itself (so the result does not depend on the
     * order reviews were read), and keeps those that fit below {@code numWords}.
     */
    public static Vocabulary fromCounts(Preprocessing preprocessing, Map<String, Long> counts) {
        List<Map.Entry<String, Long>> ranked = new ArrayList<>(counts.entrySet());
        ranked.sort(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder())
                .thenComparing(Map.Entry.comparingByKey()));
        int keep = Math.min(ranked.size(), preprocessing.numWords() - preprocessing.indexFrom());
        List<String> words = new ArrayList<>(keep);
        for (int i = 0; i < keep; i++) {
            words.add(ranked.get(i).getKey());
        }
        return new Vocabulary(preprocessing, words);
    }

    /** Adds the tokens of one training review to running counts for {@link #fromCounts}. */
    public static void count(Map<String, Long> counts, Collection<String> tokens) {
        for (String t : tokens) {
            counts.merge(t, 1L, Long::sum);
        }
    }

    public Preprocessing preprocessing() {
        return preprocessing;
    }

    /** Words by id, starting at {@code indexFrom}. */
    public List<String> words() {
        return words;
    }

    /** Rows of an embedding matrix for this vocabulary: every id is below this. */
    public int size() {
        return preprocessing.numWords();
    }

    /** The id of a word, or the OOV id. */
    public int id(String word) {
        Integer id = ids.get(word);
        return id == null ? preprocessing.oovId() : id;
    }

    /** The word with this id, or null for padding/start/OOV ids and unused ids. */
    public String word(int id) {
        int i = id - preprocessing.indexFrom();
        return i >= 0 && i < words.size() ? words.get(i) : null;
    }

    /** Start id followed by the ids of the tokens (unpadded), as Keras' {@code load_data}. */
    public int[] encode(List<String> tokens) {
        int[] out = new int[tokens.size() + 1];
        out[0] = preprocessing.startId();
        for (int i = 0; i < tokens.size(); i++) {
            out[i + 1] = id(tokens.get(i));
        }
        return out;
    }

    /**
     * Tokenizes and encodes raw text without padding or truncation: every id of the review, as
     * {@code ReviewSequence.allTokens} carries it.
     */
    public int[] encodeAll(String text) {
        return encode(Tokenizer.tokenize(text));
    }

    /** Tokenizes, encodes and pads/truncates raw text: the full serving path from text to model input. */
    public int[] encodeText(String text) {
        return pad(encode(Tokenizer.tokenize(text)));
    }

    /**
     * Pads or truncates to {@code maxLen} as Keras' {@code pad_sequences}: with {@code pre} truncation the
     * last {@code maxLen} ids are kept (the start id falls off long reviews), with {@code pre} padding the
     * padding ids come first.
     */
    public int[] pad(int[] ids) {
        int maxLen = preprocessing.maxLen();
        if (ids.length >= maxLen) {
            return Preprocessing.PRE.equals(preprocessing.truncating())
                    ? Arrays.copyOfRange(ids, ids.length - maxLen, ids.length)
                    : Arrays.copyOf(ids, maxLen);
        }
        int[] out = new int[maxLen];
        if (preprocessing.padId() != 0) {
            Arrays.fill(out, preprocessing.padId());
        }
        int offset = Preprocessing.PRE.equals(preprocessing.padding()) ? maxLen - ids.length : 0;
        System.arraycopy(ids, 0, out, offset, ids.length);
        return out;
    }

    /** Checks that a padded sequence could have come from this vocabulary; returns the reason, or null. */
    public String validate(int[] sequence) {
        if (sequence != null && sequence.length != preprocessing.maxLen()) {
            return "sequence length " + sequence.length + ", expected " + preprocessing.maxLen();
        }
        return validateIds(sequence);
    }

    /**
     * Checks that ids of any length (a padded sequence, or a whole review as {@link #encode} gives it) are ids of
     * this vocabulary; returns the reason, or null.
     */
    public String validateIds(int[] ids) {
        return idsProblem(ids, preprocessing.numWords());
    }

    /** The reason why {@code ids} are not all ids below {@code numWords} (any length), or null. */
    public static String idsProblem(int[] ids, int numWords) {
        if (ids == null) {
            return "no tokens";
        }
        for (int id : ids) {
            if (id < 0 || id >= numWords) {
                return "token id " + id + " outside [0, " + numWords + ")";
            }
        }
        return null;
    }

    /**
     * Checks every sequence of a batch with {@link #validate}.
     *
     * @throws IllegalArgumentException naming the first sequence that this vocabulary could not have produced
     */
    public void requireValid(int[][] sequences) {
        require(sequences, this::validate);
    }

    /**
     * Checks the ids of every review of a batch with {@link #validateIds}.
     *
     * @throws IllegalArgumentException naming the first review whose ids this vocabulary could not have produced
     */
    public void requireValidIds(int[][] ids) {
        require(ids, this::validateIds);
    }

    private static void require(int[][] sequences, Function<int[], String> check) {
        for (int i = 0; i < sequences.length; i++) {
            String problem = check.apply(sequences[i]);
            if (problem != null) {
                throw new IllegalArgumentException("sequence " + i + ": " + problem);
            }
        }
    }
}
