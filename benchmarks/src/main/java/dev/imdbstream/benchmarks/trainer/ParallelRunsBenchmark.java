package dev.imdbstream.benchmarks.trainer;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.factory.Nd4j;

import dev.imdbstream.model.Batches;
import dev.imdbstream.model.EmbeddingVariant;
import dev.imdbstream.model.Inference;
import dev.imdbstream.model.NetworkConfig;
import dev.imdbstream.model.SentimentNetwork;
import dev.imdbstream.model.Training;
import dev.imdbstream.model.cpu.BlasKernel;

/**
 * How many runs one trainer instance should train at once: for each parallelism {@code p}, {@code p} threads
 * each train their own notebook network (AdamW steps, batch 32, length 150) and then run inference
 * (batch 256) at the same time, as {@code trainer.runs.parallel=p} does. Prints per-run and total samples/s
 * (wall clock) and samples per CPU-second. Run with {@code OMP_NUM_THREADS=1} (see bin/trainer-benchmark.sh):
 * <pre>
 *   ParallelRunsBenchmark [--parallel 1,2] [--train-batches 12] [--infer-batches 4] [--warmup 2]
 * </pre>
 */
public final class ParallelRunsBenchmark {

    private ParallelRunsBenchmark() {
    }

    private record Measured(double trainWall, double trainCpu, double inferWall, double inferCpu) {
    }

    public static void main(String[] args) throws Exception {
        List<Integer> parallel = List.of(1, 2);
        int trainBatches = 12;
        int inferBatches = 4;
        int warmup = 2;
        for (int i = 0; i < args.length; i += 2) {
            String value = i + 1 < args.length ? args[i + 1] : "";
            switch (args[i]) {
                case "--parallel" -> parallel = java.util.Arrays.stream(value.split(",")).map(Integer::parseInt).toList();
                case "--train-batches" -> trainBatches = Integer.parseInt(value);
                case "--infer-batches" -> inferBatches = Integer.parseInt(value);
                case "--warmup" -> warmup = Integer.parseInt(value);
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + "; options: --parallel 1,2 --train-batches N --infer-batches N --warmup N");
            }
        }
        System.out.printf(Locale.ROOT, "OMP_NUM_THREADS=%s cores=%d backend=%s%n", System.getenv("OMP_NUM_THREADS"),
                Runtime.getRuntime().availableProcessors(), Nd4j.getBackend().getClass().getSimpleName());
        System.out.println(BlasKernel.current().describe());
        for (int p : parallel) {
            measure(p, trainBatches, inferBatches, warmup);
        }
    }

    private static void measure(int p, int trainBatches, int inferBatches, int warmup) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(p);
        CyclicBarrier start = new CyclicBarrier(p);
        CyclicBarrier inference = new CyclicBarrier(p);
        List<Future<Measured>> futures = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int r = 0; r < p; r++) {
            long seed = r + 1;
            int tb = trainBatches;
            int ib = inferBatches;
            int wu = warmup;
            futures.add(pool.submit(() -> run(seed, tb, ib, wu, start, inference)));
        }
        List<Measured> all = new ArrayList<>();
        for (Future<Measured> f : futures) {
            all.add(f.get());
        }
        pool.shutdown();
        double train = all.stream().mapToDouble(Measured::trainWall).sum();
        double infer = all.stream().mapToDouble(Measured::inferWall).sum();
        for (int r = 0; r < all.size(); r++) {
            Measured m = all.get(r);
            System.out.printf(Locale.ROOT, "parallel=%d run %d: train %.1f samples/s (%.1f per cpu-s), infer %.1f samples/s"
                    + " (%.1f per cpu-s)%n", p, r + 1, m.trainWall(), m.trainCpu(), m.inferWall(), m.inferCpu());
        }
        System.out.printf(Locale.ROOT, "parallel=%d total: train %.1f samples/s, infer %.1f samples/s (%.0f s)%n", p, train,
                infer, (System.nanoTime() - t0) / 1e9);
    }

    private static Measured run(long seed, int trainBatches, int inferBatches, int warmup, CyclicBarrier start,
            CyclicBarrier inference) throws Exception {
        NetworkConfig config = NetworkConfig.notebook(EmbeddingVariant.RANDOM);
        MultiLayerNetwork net = SentimentNetwork.build(config, seed, null);
        int batch = 32;
        int[][] tokens = sequences(Math.max(batch * (trainBatches + warmup), Inference.BATCH_SIZE * inferBatches), 150,
                config.vocabSize(), seed);
        int[] labels = new int[tokens.length];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i % 2;
        }
        for (int b = 0; b < warmup; b++) {
            Training.fit(net, Batches.dataSet(tokens, labels, b * batch, (b + 1) * batch, 0));
        }
        Inference.predict(net, java.util.Arrays.copyOf(tokens, 32), 0);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        start.await();
        long c0 = threads.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        for (int b = warmup; b < warmup + trainBatches; b++) {
            Training.fit(net, Batches.dataSet(tokens, labels, b * batch, (b + 1) * batch, 0));
        }
        double trainWall = trainBatches * batch / ((System.nanoTime() - t0) / 1e9);
        double trainCpu = trainBatches * batch / ((threads.getCurrentThreadCpuTime() - c0) / 1e9);
        inference.await();
        int n = Inference.BATCH_SIZE * inferBatches;
        c0 = threads.getCurrentThreadCpuTime();
        t0 = System.nanoTime();
        Inference.predict(net, java.util.Arrays.copyOf(tokens, n), 0);
        double inferWall = n / ((System.nanoTime() - t0) / 1e9);
        double inferCpu = n / ((threads.getCurrentThreadCpuTime() - c0) / 1e9);
        return new Measured(trainWall, trainCpu, inferWall, inferCpu);
    }

    /** IMDB-like sequences: lengths spread around 150, about a third pre-padded, start id first. */
    static int[][] sequences(int n, int length, int vocab, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int[][] out = new int[n][length];
        for (int i = 0; i < n; i++) {
            int used = random.nextInt(3) == 0 ? 40 + random.nextInt(length - 40) : length;
            out[i][length - used] = 1;
            for (int t = length - used + 1; t < length; t++) {
                out[i][t] = 3 + random.nextInt(vocab - 3);
            }
        }
        return out;
    }
}
