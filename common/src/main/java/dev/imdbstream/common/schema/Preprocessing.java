package dev.imdbstream.common.schema;

/**
 * How raw text becomes a model input; travels with the vocabulary and with every model artifact so that
 * training and serving apply the same rules. Defaults follow Keras' {@code imdb.load_data(num_words=10000)}
 * and {@code pad_sequences(maxlen=150)}.
 *
 * @param tokenizer  name and version of the tokenization rule (see {@code Tokenizer})
 * @param numWords   every id is below this; words ranked beyond it map to {@link #oovId()}
 * @param maxLen     sequence length after padding/truncation
 * @param padding    {@code pre} or {@code post}: where padding ids go
 * @param truncating {@code pre} or {@code post}: which end is cut from long reviews
 * @param padId      id of padding (0)
 * @param startId    id that starts every sequence (1)
 * @param oovId      id of out-of-vocabulary words (2)
 * @param indexFrom  id of the most frequent word (3)
 */
public record Preprocessing(String tokenizer, int numWords, int maxLen, String padding, String truncating, int padId,
        int startId, int oovId, int indexFrom) {

    public static final String PRE = "pre";
    public static final String POST = "post";

    public Preprocessing {
        if (!PRE.equals(padding) && !POST.equals(padding)) {
            throw new IllegalArgumentException("padding must be 'pre' or 'post', was " + padding);
        }
        if (!PRE.equals(truncating) && !POST.equals(truncating)) {
            throw new IllegalArgumentException("truncating must be 'pre' or 'post', was " + truncating);
        }
        if (maxLen < 1 || numWords <= indexFrom) {
            throw new IllegalArgumentException("maxLen must be >= 1 and numWords > indexFrom");
        }
    }

    /** The notebook's settings: 10,000 ids, length 150, Keras' pre-padding and pre-truncation. */
    public static Preprocessing defaults(String tokenizer) {
        return new Preprocessing(tokenizer, 10_000, 150, PRE, PRE, 0, 1, 2, 3);
    }
}
