package dev.imdbstream.model;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

import dev.imdbstream.common.schema.ModelArtifact;
import dev.imdbstream.common.text.Vocabulary;
import dev.imdbstream.model.cpu.BlasKernel;

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
        artifact.requireReadable(ModelArtifacts.FORMAT);
        BlasKernel.report();
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
        vocabulary.requireValid(sequences);
        synchronized (network) {
            return Inference.predict(network, sequences, vocabulary.preprocessing().padId());
        }
    }

    /** Probability that a raw review is positive. */
    public double predictText(String text) {
        return predict(new int[][] {vocabulary.encodeText(text)})[0];
    }

    /**
     * What {@link #warmUp} did.
     *
     * @param settled whether it stopped because the rounds had stopped getting faster (false: the budget ran out)
     * @param lastRound the inference time of the last full round (without the pauses)
     */
    public record WarmUp(int rounds, int passes, boolean settled, Duration took, Duration lastRound) {
    }

    /** Rounds in a row not faster by a tenth than the fastest before them: the compiled code has settled. */
    private static final int SETTLED_ROUNDS = 3;
    /** Longest pause after a pass (a cold pass over many reviews can take seconds). */
    private static final long MAX_PAUSE_NANOS = 250_000_000L;

    /**
     * Runs inference passes over synthetic reviews (words of this vocabulary, 16-48 tokens, so batches mix lengths
     * and exercise the mask) at micro-batch sizes 1, 2, 3, 4, 8, 16, 32 ... up to {@code maxBatch}, round after
     * round, pausing after each pass for twice its time (at most 250 ms), until {@value #SETTLED_ROUNDS} rounds in a
     * row were not a tenth faster than the fastest round before them, or until {@code budget} is spent.
     *
     * <p>Why: a cold JVM runs the first inference passes far slower than a warm one (the Vector API kernels are
     * only fast once C2 has compiled them), and it takes
     * seconds of passes of each size before every path (the register-blocked kernels up to 32 reviews, BLAS above)
     * is compiled. The pauses are for the JIT compiler threads: where they run at a lower priority than the model
     * (the scorer's JVM options) on a busy core, they get the CPU only while the model waits.
     *
     * @return what was run; nothing when the budget is zero
     */
    public WarmUp warmUp(Duration budget, int maxBatch) {
        if (maxBatch < 1) {
            throw new IllegalArgumentException("maxBatch " + maxBatch + " < 1");
        }
        long started = System.nanoTime();
        long deadline = started + budget.toNanos();
        List<Integer> sizes = new ArrayList<>();
        for (int b = 1; b < maxBatch; b = b < 4 ? b + 1 : 2 * b) {
            sizes.add(b);
        }
        sizes.add(maxBatch);
        List<String> texts = syntheticTexts(maxBatch);
        int rounds = 0;
        int passes = 0;
        int flat = 0;
        long fastest = Long.MAX_VALUE;
        long lastRound = 0;
        try {
            rounds:
            while (flat < SETTLED_ROUNDS && System.nanoTime() < deadline) {
                long work = 0;
                for (int size : sizes) {
                    long pass = System.nanoTime();
                    predictTexts(texts.subList(0, size));
                    passes++;
                    long now = System.nanoTime();
                    work += now - pass;
                    if (now >= deadline) {
                        break rounds;
                    }
                    TimeUnit.NANOSECONDS.sleep(Math.min(Math.min(2 * (now - pass), MAX_PAUSE_NANOS), deadline - now));
                }
                rounds++;
                lastRound = work;
                flat = work > 0.9 * fastest ? flat + 1 : 0;
                fastest = Math.min(fastest, work);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return new WarmUp(rounds, passes, flat >= SETTLED_ROUNDS, Duration.ofNanos(System.nanoTime() - started),
                Duration.ofNanos(lastRound));
    }

    private List<String> syntheticTexts(int n) {
        List<String> words = vocabulary.words();
        SplittableRandom random = new SplittableRandom(n);
        List<String> texts = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            StringBuilder text = new StringBuilder();
            for (int w = 16 + random.nextInt(33); w > 0; w--) {
                text.append(words.isEmpty() ? "the" : words.get(random.nextInt(Math.min(words.size(), 5000)))).append(' ');
            }
            texts.add(text.toString());
        }
        return texts;
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
