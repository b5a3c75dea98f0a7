package dev.imdbstream.model.tfidf;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

import dev.imdbstream.common.schema.Preprocessing;

/**
 * TF-IDF features of word uni- and bigrams, computed from the word ids of the data set's vocabulary (the project's
 * {@code Tokenizer}, then {@code Vocabulary.encode}): of a whole review, or of the padded sequence the networks read.
 * The trainer fits it on the ingested ids and the scorer applies it to ids it encodes from text the same way, so
 * training and serving see the same terms ({@link TfidfLogisticModel.Input} says which ids a model reads).
 *
 * <p>Terms: every id but padding and the start id is a word (the out-of-vocabulary id is one too); a unigram is
 * one word, a bigram two words next to each other in the sequence. Only terms in at least {@code minDf} reviews of
 * the fitting set are kept. A review's row: sublinear term frequency {@code 1 + ln(tf)} times
 * {@code idf = ln((1 + N) / (1 + df)) + 1} (N reviews fitted on, df those containing the term), then scaled to unit
 * L2 norm (a row without known terms stays zero). Immutable and thread-safe.
 */
public final class TfidfFeaturizer {

    /** A sparse row: column indexes in increasing order, with their values. */
    public record Row(int[] indexes, double[] values) {
    }

    private final int numWords;
    private final int padId;
    private final int startId;
    /** Term keys in increasing order: the column of a term is its position here. */
    private final long[] terms;
    private final double[] idf;

    /**
     * @param terms term keys ({@link #unigram}, {@link #bigram}) in strictly increasing order
     * @param idf   the inverse document frequency of each term
     */
    public TfidfFeaturizer(Preprocessing preprocessing, long[] terms, double[] idf) {
        if (terms.length != idf.length) {
            throw new IllegalArgumentException(terms.length + " terms but " + idf.length + " idf values");
        }
        this.numWords = preprocessing.numWords();
        this.padId = preprocessing.padId();
        this.startId = preprocessing.startId();
        long limit = (long) (numWords + 1) * numWords;
        for (int i = 0; i < terms.length; i++) {
            if (terms[i] < 0 || terms[i] >= limit || i > 0 && terms[i] <= terms[i - 1]) {
                throw new IllegalArgumentException("term " + i + " out of range or order: " + terms[i]);
            }
            if (!(idf[i] > 0) || Double.isInfinite(idf[i])) {
                throw new IllegalArgumentException("idf of term " + i + " is not a positive number: " + idf[i]);
            }
        }
        this.terms = terms.clone();
        this.idf = idf.clone();
    }

    /** Fits the vocabulary of terms and their idf on {@code sequences} (the training subset only). */
    public static TfidfFeaturizer fit(int[][] sequences, Preprocessing preprocessing, int minDf) {
        if (minDf < 1) {
            throw new IllegalArgumentException("minDf must be >= 1, was " + minDf);
        }
        Map<Long, Integer> df = new HashMap<>();
        for (int[] sequence : sequences) {
            long[] keys = distinct(keys(sequence, preprocessing.numWords(), preprocessing.padId(), preprocessing.startId()));
            for (long k : keys) {
                df.merge(k, 1, Integer::sum);
            }
        }
        long[] terms = df.entrySet().stream().filter(e -> e.getValue() >= minDf).mapToLong(Map.Entry::getKey).sorted()
                .toArray();
        double[] idf = new double[terms.length];
        for (int i = 0; i < terms.length; i++) {
            idf[i] = Math.log((1.0 + sequences.length) / (1.0 + df.get(terms[i]))) + 1;
        }
        return new TfidfFeaturizer(preprocessing, terms, idf);
    }

    /** The key of the unigram of word id {@code a}. */
    public static long unigram(int a) {
        return a;
    }

    /** The key of the bigram of word ids {@code a b}: above every unigram key. */
    public static long bigram(int a, int b, int numWords) {
        return (long) (a + 1) * numWords + b;
    }

    /** The number of columns. */
    public int size() {
        return terms.length;
    }

    public int numWords() {
        return numWords;
    }

    /** Term keys by column (a copy). */
    public long[] terms() {
        return terms.clone();
    }

    /** Idf by column (a copy). */
    public double[] idf() {
        return idf.clone();
    }

    /** The first word id of a term key, and the second (-1 for a unigram). */
    public static int[] words(long key, int numWords) {
        return key < numWords ? new int[] {(int) key, -1}
                : new int[] {(int) (key / numWords - 1), (int) (key % numWords)};
    }

    /** The L2-normalised TF-IDF row of one review's ids (padding and start ids are skipped). */
    public Row features(int[] sequence) {
        long[] keys = keys(sequence, numWords, padId, startId);
        Arrays.sort(keys);
        int[] indexes = new int[keys.length];
        double[] values = new double[keys.length];
        int n = 0;
        double norm = 0;
        for (int i = 0; i < keys.length;) {
            int j = i;
            while (j < keys.length && keys[j] == keys[i]) {
                j++;
            }
            int column = Arrays.binarySearch(terms, keys[i]);
            if (column >= 0) {
                double v = (1 + Math.log(j - i)) * idf[column];
                indexes[n] = column;
                values[n++] = v;
                norm += v * v;
            }
            i = j;
        }
        norm = Math.sqrt(norm);
        for (int i = 0; i < n && norm > 0; i++) {
            values[i] /= norm;
        }
        return new Row(Arrays.copyOf(indexes, n), Arrays.copyOf(values, n));
    }

    /** Every term occurrence of a sequence (with repeats, unsorted). */
    private static long[] keys(int[] sequence, int numWords, int padId, int startId) {
        long[] keys = new long[2 * sequence.length];
        int n = 0;
        int previous = -1;
        for (int id : sequence) {
            if (id == padId || id == startId) {
                continue;
            }
            if (id < 0 || id >= numWords) {
                throw new IllegalArgumentException("token id " + id + " outside [0, " + numWords + ")");
            }
            keys[n++] = unigram(id);
            if (previous >= 0) {
                keys[n++] = bigram(previous, id, numWords);
            }
            previous = id;
        }
        return Arrays.copyOf(keys, n);
    }

    private static long[] distinct(long[] keys) {
        return Arrays.stream(keys).distinct().toArray();
    }
}
