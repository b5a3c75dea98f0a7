package dev.imdbstream.benchmarks.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.factory.Nd4j;

import dev.imdbstream.model.Batches;
import dev.imdbstream.model.EmbeddingVariant;
import dev.imdbstream.model.Inference;
import dev.imdbstream.model.LstmImpl;
import dev.imdbstream.model.NetworkConfig;
import dev.imdbstream.model.SentimentNetwork;
import dev.imdbstream.model.Training;
import dev.imdbstream.model.cpu.BlasKernel;
import dev.imdbstream.model.cpu.RowsGemm;

/**
 * Measures the notebook's model on this machine with each BiLSTM implementation: training samples/s (AdamW steps,
 * batch 32, length 150) and inference samples/s ({@link Inference#predict}, batches of 256), on synthetic IMDB-like
 * sequences (about a third of them pre-padded). Each measurement is repeated; it prints the median and the range,
 * per wall-clock second and per CPU-second of the measuring thread (with one OpenMP thread ND4J and OpenBLAS compute
 * on it, so this is what one free core would do when other processes share the cores), the two implementations side
 * by side, then where the time goes (a sampling profile per component of the network, in CPU ms per batch). Run with
 * {@code OMP_NUM_THREADS=1} (see PERF-NOTES.md):
 * <pre>
 *   ModelBenchmark [--lstm both|stock|fast] [--train-batches 10] [--infer-batches 3] [--repeats 3] [--warmup 3]
 *                  [--length 150] [--batch 32] [--profile true] [--trim true] [--serve-batches 1,4,16,32,128]
 * </pre>
 * {@code --serve-batches} also times inference passes of those sizes (the scorer's micro-batches) with the FAST layers:
 * milliseconds a pass and samples/s, median of the repeats. Inference's recurrent products use {@code cpu.RowsGemm}
 * up to 32 samples when the JVM runs with {@code --add-modules jdk.incubator.vector}, BLAS without: run it both ways
 * to compare.
 * {@code --trim false} scores every inference batch at full length (see {@link Inference#predict(MultiLayerNetwork,
 * int[][], int, boolean)}).
 */
public final class ModelBenchmark {

    private ModelBenchmark() {
    }

    /** Samples per second of the repeats: wall clock and thread CPU time. */
    private record Rates(double[] wall, double[] cpu, double[] processCpu) {

        String format() {
            return String.format(Locale.ROOT, "%7.1f (%5.1f..%5.1f) %7.1f (%5.1f..%5.1f)", median(wall), min(wall),
                    max(wall), median(cpu), min(cpu), max(cpu));
        }
    }

    private record Result(LstmImpl impl, Rates train, Rates infer, String profile) {
    }

    public static void main(String[] args) {
        Map<String, String> o = options(args);
        List<LstmImpl> impls = switch (o.get("lstm")) {
            case "both" -> List.of(LstmImpl.STOCK, LstmImpl.FAST);
            default -> List.of(LstmImpl.valueOf(o.get("lstm").toUpperCase(Locale.ROOT)));
        };
        int trainBatches = Integer.parseInt(o.get("train-batches"));
        int inferBatches = Integer.parseInt(o.get("infer-batches"));
        int repeats = Integer.parseInt(o.get("repeats"));
        int warmup = Integer.parseInt(o.get("warmup"));
        int length = Integer.parseInt(o.get("length"));
        int batch = Integer.parseInt(o.get("batch"));
        boolean profile = Boolean.parseBoolean(o.get("profile"));
        boolean trim = Boolean.parseBoolean(o.get("trim"));

        NetworkConfig notebook = NetworkConfig.notebook(EmbeddingVariant.RANDOM);
        int[][] tokens = sequences(Math.max(batch * (warmup + trainBatches), Inference.BATCH_SIZE * inferBatches),
                length, notebook.vocabSize());
        int[] labels = new int[tokens.length];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i % 2;
        }
        int[][] inferSet = Arrays.copyOf(tokens, Inference.BATCH_SIZE * inferBatches);
        double padding = 0;
        for (int[] t : tokens) {
            padding += Batches.leadingPadding(t, 0);
        }
        System.out.printf(Locale.ROOT, "model benchmark: %d params, train batch %d, length %d (%.0f%% padding), "
                        + "inference batch %d%s, OMP_NUM_THREADS=%s, backend %s, %d cores, load average %.1f%n",
                SentimentNetwork.build(notebook, 1, null).numParams(), batch, length,
                100 * padding / tokens.length / length, Inference.BATCH_SIZE, trim ? " (padding trimmed)" : "",
                System.getenv("OMP_NUM_THREADS"), Nd4j.getBackend().getClass().getSimpleName(),
                Runtime.getRuntime().availableProcessors(), Benchmarks.loadAverage());
        System.out.println(BlasKernel.current().describe());

        List<Result> results = new ArrayList<>();
        for (LstmImpl impl : impls) {
            MultiLayerNetwork net = SentimentNetwork.build(notebook.withLstmImpl(impl), 1, null);
            for (int b = 0; b < warmup; b++) {
                Training.fit(net, Batches.dataSet(tokens, labels, b * batch, (b + 1) * batch, 0));
            }
            Inference.predict(net, Arrays.copyOf(tokens, Inference.BATCH_SIZE), 0, trim);

            Runnable train = () -> {
                for (int b = warmup; b < warmup + trainBatches; b++) {
                    Training.fit(net, Batches.dataSet(tokens, labels, b * batch, (b + 1) * batch, 0));
                }
            };
            Runnable infer = () -> Inference.predict(net, inferSet, 0, trim);
            Rates trainRates = rates(train, trainBatches * batch, repeats);
            Rates inferRates = rates(infer, inferSet.length, repeats);
            System.out.printf(Locale.ROOT, "%-5s train %s | inference %s samples/s, wall (range) cpu (range)%n",
                    impl, trainRates.format(), inferRates.format());
            String profileText = "";
            if (profile) {
                profileText = SamplingProfile.run(train).format(impl + " training step, batch " + batch, trainBatches)
                        + SamplingProfile.run(infer).format(impl + " inference, batch " + Inference.BATCH_SIZE,
                        inferBatches);
            }
            results.add(new Result(impl, trainRates, inferRates, profileText));
        }

        System.out.printf(Locale.ROOT, "%nsamples/s, median of %d repeats (min..max); cpu = per CPU-second of the "
                + "measuring thread; load average now %.1f%n", repeats, Benchmarks.loadAverage());
        System.out.printf(Locale.ROOT, "%-6s %-18s %-18s %-18s %-18s %s%n", "lstm", "train wall", "train cpu",
                "infer wall", "infer cpu", "process cpu / thread cpu");
        for (Result r : results) {
            System.out.printf(Locale.ROOT, "%-6s %-18s %-18s %-18s %-18s %.2f / %.2f%n", r.impl(), range(r.train().wall()),
                    range(r.train().cpu()), range(r.infer().wall()), range(r.infer().cpu()),
                    median(r.train().cpu()) / median(r.train().processCpu()),
                    median(r.infer().cpu()) / median(r.infer().processCpu()));
        }
        if (results.size() == 2) {
            System.out.printf(Locale.ROOT, "FAST / STOCK (cpu): train x%.1f, inference x%.1f%n",
                    median(results.get(1).train().cpu()) / median(results.get(0).train().cpu()),
                    median(results.get(1).infer().cpu()) / median(results.get(0).infer().cpu()));
        }
        for (Result r : results) {
            if (r.impl() == LstmImpl.FAST) {
                printPeakShare(r, notebook, length, trim);
            }
        }
        if (!o.get("serve-batches").isBlank()) {
            servingPasses(o.get("serve-batches"), tokens, repeats, trim);
        }
        for (Result r : results) {
            if (!r.profile().isEmpty()) {
                System.out.println();
                System.out.print(r.profile());
            }
        }
    }

    /**
     * The floating-point work of one example's forward pass at full length, counting the matrix products alone (2 FLOP a
     * multiply-add; the gate and softmax math is a few percent of it): both LSTM directions' input and recurrent
     * products, attention's {@code [2u, 2u]} projection and context vector, the dense layers.
     */
    static double forwardFlops(NetworkConfig c, int length) {
        double lstm = 2.0 * length * 2.0 * (c.embeddingDim() + c.lstmUnits()) * 4 * c.lstmUnits();
        int features = 2 * c.lstmUnits();
        double attention = length * 2.0 * features * (features + 1);
        double dense = 2.0 * features * c.denseUnits() + 2.0 * c.denseUnits();
        return lstm + attention + dense;
    }

    /**
     * The share of one core's FMA peak that the training step and the inference pass reach, by CPU time of the
     * measuring thread. A training step computes the forward products and, backwards, two products for each (the
     * gradients of its input and of its weights): about 3x the forward work.
     */
    private static void printPeakShare(Result r, NetworkConfig c, int length, boolean trim) {
        double forward = forwardFlops(c, length);
        double train = median(r.train().cpu()) * 3 * forward / 1e9;
        double infer = median(r.infer().cpu()) * forward / 1e9;
        System.out.printf(Locale.ROOT, "%nwork: forward pass %.1f MFLOP an example at length %d (matrix products), "
                + "training step about 3x that (%.0f MFLOP)%n", forward / 1e6, length, 3 * forward / 1e6);
        if (!RowsGemm.AVAILABLE) {
            // FmaPeak is written with the Vector API.
            System.out.printf(Locale.ROOT, "FAST training %.1f GFLOP/s, inference %.1f GFLOP/s (no share of the peak: "
                    + "it is measured with the Vector API, which this JVM lacks)%n", train, infer);
            return;
        }
        double peak = FmaPeak.gflops(3);
        System.out.printf(Locale.ROOT, "one core's FMA peak (Vector API, %d float lanes, best of 3): %.1f GFLOP/s%n",
                FmaPeak.lanes(), peak);
        System.out.printf(Locale.ROOT, "FAST training %.1f GFLOP/s = %.0f%% of the peak; inference %.1f GFLOP/s = "
                + "%.0f%%%s%n", train, 100 * train / peak, infer, 100 * infer / peak,
                trim ? " (inference counted at full length: its padding was trimmed, so less work was done)" : "");
    }

    /** Inference passes of each size with the FAST layers, as the scorer runs them: ms a pass and samples/s. */
    private static void servingPasses(String sizes, int[][] tokens, int repeats, boolean trim) {
        MultiLayerNetwork net = SentimentNetwork.build(NetworkConfig.notebook(EmbeddingVariant.RANDOM)
                .withLstmImpl(LstmImpl.FAST), 1, null);
        System.out.printf(Locale.ROOT, "%ninference passes by size (FAST; recurrent products: %s), median of %d "
                        + "repeats (min..max), wall clock%n", RowsGemm.AVAILABLE
                        ? "RowsGemm up to 32 samples, BLAS above" : "BLAS (no --add-modules jdk.incubator.vector)",
                repeats);
        for (String size : sizes.split(",")) {
            int b = Integer.parseInt(size.trim());
            int passes = Math.max(20, 2048 / b);
            Runnable work = () -> {
                for (int p = 0; p < passes; p++) {
                    int from = (p * b) % (tokens.length - b);
                    Inference.predict(net, Arrays.copyOfRange(tokens, from, from + b), 0, trim);
                }
            };
            work.run(); // warm-up
            Rates r = rates(work, passes * b, repeats);
            System.out.printf(Locale.ROOT, "  batch %4d: %7.2f ms a pass (%.2f..%.2f), %6.1f samples/s%n", b,
                    1000.0 * b / median(r.wall()), 1000.0 * b / max(r.wall()), 1000.0 * b / min(r.wall()),
                    median(r.wall()));
        }
    }

    private static Rates rates(Runnable work, int samples, int repeats) {
        double[] wall = new double[repeats];
        double[] cpu = new double[repeats];
        double[] processCpu = new double[repeats];
        for (int r = 0; r < repeats; r++) {
            long p0 = Benchmarks.processCpuNanos();
            long c0 = Benchmarks.cpuNanos();
            long t0 = System.nanoTime();
            work.run();
            wall[r] = samples / ((System.nanoTime() - t0) / 1e9);
            cpu[r] = samples / ((Benchmarks.cpuNanos() - c0) / 1e9);
            processCpu[r] = samples / ((Benchmarks.processCpuNanos() - p0) / 1e9);
        }
        return new Rates(wall, cpu, processCpu);
    }

    private static String range(double[] v) {
        return String.format(Locale.ROOT, "%.1f (%.1f..%.1f)", median(v), min(v), max(v));
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static double min(double[] v) {
        return Arrays.stream(v).min().orElse(Double.NaN);
    }

    private static double max(double[] v) {
        return Arrays.stream(v).max().orElse(Double.NaN);
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> o = new LinkedHashMap<>();
        o.put("lstm", "both");
        o.put("train-batches", "10");
        o.put("infer-batches", "3");
        o.put("repeats", "3");
        o.put("warmup", "3");
        o.put("length", "150");
        o.put("batch", "32");
        o.put("profile", "true");
        o.put("trim", "true");
        o.put("serve-batches", "");
        for (int i = 0; i < args.length; i += 2) {
            String key = args[i].startsWith("--") ? args[i].substring(2) : args[i];
            if (!o.containsKey(key) || i + 1 >= args.length) {
                throw new IllegalArgumentException("unknown option or missing value: " + args[i] + "; options: "
                        + o.keySet());
            }
            o.put(key, args[i + 1].toLowerCase(Locale.ROOT));
        }
        return o;
    }

    /** Token ids shaped like IMDB at length 150: about a third of the reviews are shorter and pre-padded. */
    static int[][] sequences(int n, int length, int vocab) {
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
