package dev.imdbstream.model.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;
import java.util.SplittableRandom;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.DataSet;

import dev.imdbstream.model.Batches;
import dev.imdbstream.model.EmbeddingVariant;
import dev.imdbstream.model.Inference;
import dev.imdbstream.model.LstmImpl;
import dev.imdbstream.model.NetworkConfig;
import dev.imdbstream.model.SentimentNetwork;
import dev.imdbstream.model.Training;

/**
 * Measures the notebook's model on this machine: training samples/s (AdamW steps, batch 32, length 150) and
 * inference samples/s (batch 256), on synthetic IMDB-like sequences (about a third of them pre-padded). Prints one
 * line per measurement: samples per wall-clock second, and per CPU-second of the measuring thread, which is what the
 * model costs when other processes share the cores (with one OpenMP thread, ND4J computes on the calling thread).
 * Run with {@code OMP_NUM_THREADS=1} (see PERF-NOTES.md):
 * <pre>
 *   ModelBenchmark [--lstm stock|fast] [--train-batches 20] [--infer-batches 8] [--warmup 3] [--length 150]
 * </pre>
 */
public final class ModelBenchmark {

    private ModelBenchmark() {
    }

    public static void main(String[] args) {
        LstmImpl impl = LstmImpl.STOCK;
        int trainBatches = 20;
        int inferBatches = 8;
        int warmup = 3;
        int length = 150;
        int trainBatch = 32;
        for (int i = 0; i < args.length; i += 2) {
            String value = i + 1 < args.length ? args[i + 1] : "";
            switch (args[i]) {
                case "--lstm" -> impl = LstmImpl.valueOf(value.toUpperCase(Locale.ROOT));
                case "--train-batches" -> trainBatches = Integer.parseInt(value);
                case "--infer-batches" -> inferBatches = Integer.parseInt(value);
                case "--warmup" -> warmup = Integer.parseInt(value);
                case "--length" -> length = Integer.parseInt(value);
                case "--batch" -> trainBatch = Integer.parseInt(value);
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + "; options: --lstm stock|fast --train-batches N --infer-batches N --warmup N --length N"
                        + " --batch N");
            }
        }
        NetworkConfig config = NetworkConfig.notebook(EmbeddingVariant.RANDOM).withLstmImpl(impl);
        MultiLayerNetwork net = SentimentNetwork.build(config, 1, null);
        int[][] tokens = sequences(Math.max(trainBatch * (trainBatches + warmup), Inference.BATCH_SIZE * inferBatches),
                length, config.vocabSize());
        int[] labels = new int[tokens.length];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i % 2;
        }
        System.out.printf(Locale.ROOT, "lstm=%s params=%d OMP_NUM_THREADS=%s length=%d%n", impl, net.numParams(),
                System.getenv("OMP_NUM_THREADS"), length);

        for (int b = 0; b < warmup; b++) {
            Training.fit(net, Batches.dataSet(tokens, labels, b * trainBatch, (b + 1) * trainBatch, 0));
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long c0 = threads.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        for (int b = warmup; b < warmup + trainBatches; b++) {
            DataSet batch = Batches.dataSet(tokens, labels, b * trainBatch, (b + 1) * trainBatch, 0);
            Training.fit(net, batch);
        }
        double trainSeconds = (System.nanoTime() - t0) / 1e9;
        double trainCpu = (threads.getCurrentThreadCpuTime() - c0) / 1e9;
        System.out.printf(Locale.ROOT, "train: %.1f samples/s wall, %.1f samples/cpu-s (%d batches of %d, %.0f ms/batch"
                + " wall, %.0f ms cpu)%n", trainBatches * trainBatch / trainSeconds, trainBatches * trainBatch / trainCpu,
                trainBatches, trainBatch, 1000 * trainSeconds / trainBatches, 1000 * trainCpu / trainBatches);

        int[][] inferSet = java.util.Arrays.copyOf(tokens, Inference.BATCH_SIZE * inferBatches);
        Inference.predict(net, java.util.Arrays.copyOf(tokens, Inference.BATCH_SIZE), 0);
        long c1 = threads.getCurrentThreadCpuTime();
        long t1 = System.nanoTime();
        Inference.predict(net, inferSet, 0);
        double inferSeconds = (System.nanoTime() - t1) / 1e9;
        double inferCpu = (threads.getCurrentThreadCpuTime() - c1) / 1e9;
        System.out.printf(Locale.ROOT, "inference: %.1f samples/s wall, %.1f samples/cpu-s (%d batches of %d, %.0f ms/batch"
                + " wall, %.0f ms cpu)%n", inferSet.length / inferSeconds, inferSet.length / inferCpu, inferBatches,
                Inference.BATCH_SIZE, 1000 * inferSeconds / inferBatches, 1000 * inferCpu / inferBatches);
        System.out.printf(Locale.ROOT, "load average during the run: %.1f on %d cores%n",
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                Runtime.getRuntime().availableProcessors());
    }

    /** Token ids shaped like IMDB at length 150: about a third of the reviews are shorter and pre-padded. */
    private static int[][] sequences(int n, int length, int vocab) {
        SplittableRandom random = new SplittableRandom(42);
        int[][] out = new int[n][length];
        for (int i = 0; i < n; i++) {
            int padding = random.nextInt(3) == 0 ? random.nextInt(length - 10) : 0;
            out[i][padding] = 1;
            for (int t = padding + 1; t < length; t++) {
                out[i][t] = 3 + (int) Math.min(vocab - 4, Math.abs(random.nextGaussian()) * 800);
            }
        }
        return out;
    }
}
