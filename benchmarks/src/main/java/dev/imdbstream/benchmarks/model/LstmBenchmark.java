package dev.imdbstream.benchmarks.model;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import dev.imdbstream.model.BiLstmLayers;
import dev.imdbstream.model.LstmImpl;
import dev.imdbstream.model.lstm.BiLstmLayer;

/**
 * Prints the time of the bidirectional LSTM alone, stock against {@link BiLstm}, in a minimal network
 * (LSTM, masked average pooling, 2-way softmax) on random data of the sentiment model's shape:
 * inference per batch, training step (forward + backward + Adam) per batch, samples/s, and for
 * {@link BiLstm} the time per phase of its kernel. Run with {@code OMP_NUM_THREADS=1} for one core.
 *
 * <pre>
 * ./mvnw -B -q -pl model -am compile dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt
 * OMP_NUM_THREADS=1 java -cp model/target/classes:$(cat /tmp/cp.txt) dev.imdbstream.model.lstm.LstmBenchmark \
 *      [impl=both|stock|fast] [batch=32] [steps=150] [nIn=100] [hidden=128] [inferBatch=256] [iters=10] [mask=0.0]
 * </pre>
 * Times are given as wall time and as the thread's CPU time: on a shared machine the second is what
 * one free core would take.
 * {@code mask} is the fraction of each sequence that is padding in the features mask (pre-padding);
 * both layers are the model's ({@link BiLstmLayers}), which apply the mask.
 */
public final class LstmBenchmark {

    private LstmBenchmark() {
    }

    public static void main(String[] args) {
        Options o = Options.parse(args);
        System.out.printf(Locale.ROOT, "BiLSTM benchmark: B=%d T=%d nIn=%d H=%d, inference batch %d, %d iterations, "
                        + "padding %.0f%%, OMP_NUM_THREADS=%s, backend %s%n",
                o.batch, o.steps, o.nIn, o.hidden, o.inferBatch, o.iters, 100 * o.padding,
                System.getenv("OMP_NUM_THREADS"), Nd4j.getBackend().getClass().getSimpleName());
        BiLstmLayer.setProfiling(true);
        for (LstmImpl impl : o.impls) {
            run(impl, o);
        }
    }

    private static void run(LstmImpl impl, Options o) {
        MultiLayerNetwork net = network(impl, o);
        INDArray x = Nd4j.rand(DataType.FLOAT, o.batch, o.nIn, o.steps).subi(0.5);
        INDArray y = Nd4j.zeros(DataType.FLOAT, o.batch, 2);
        for (int i = 0; i < o.batch; i++) {
            y.putScalar(i, i % 2, 1.0);
        }
        INDArray mask = o.padding > 0 ? prePadding(o.batch, o.steps, o.padding) : null;
        INDArray xi = Nd4j.rand(DataType.FLOAT, o.inferBatch, o.nIn, o.steps).subi(0.5);
        INDArray maskI = o.padding > 0 ? prePadding(o.inferBatch, o.steps, o.padding) : null;
        int warmup = 2;

        BiLstmLayer fast = net.getLayer(0) instanceof BiLstmLayer l ? l : null;
        Runnable resetProfile = () -> {
            if (fast != null) {
                fast.resetProfile();
            }
        };
        double[][] infer = time(warmup, o.iters, () -> net.output(x, false, mask, null), () -> { });
        double[][] inferBig = time(1, Math.max(2, o.iters / 4), () -> net.output(xi, false, maskI, null), () -> { });
        double[][] train = time(warmup, o.iters, () -> net.fit(x, y, mask, null), resetProfile);

        System.out.printf(Locale.ROOT, "%n%s%n", impl);
        report("  inference, batch " + o.batch, infer, o.batch);
        report("  inference, batch " + o.inferBatch, inferBig, o.inferBatch);
        report("  training step (fwd+bwd+update), batch " + o.batch, train, o.batch);
        if (fast != null) {
            double[] ms = fast.profileMillis();
            String[] names = BiLstmLayer.profilePhases();
            System.out.printf(Locale.ROOT, "  kernel phases, CPU per training step (mean of %d steps):%n", o.iters);
            double total = 0;
            for (double m : ms) {
                total += m;
            }
            for (int i = 0; i < ms.length; i++) {
                System.out.printf(Locale.ROOT, "    %-16s %7.1f ms  %4.1f%%%n", names[i], ms[i] / o.iters,
                        100 * ms[i] / total);
            }
            System.out.printf(Locale.ROOT, "    %-16s %7.1f ms%n", "total", total / o.iters);
        }
    }

    private static MultiLayerNetwork network(LstmImpl impl, Options o) {
        // Both apply the features mask (stock: MaskedBidirectional; fast: maskPaddedSteps).
        org.deeplearning4j.nn.conf.layers.Layer lstm = BiLstmLayers.bidirectional(impl, o.nIn, o.hidden, List.of());
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .seed(1)
                .dataType(DataType.FLOAT)
                .updater(new Adam(1e-4))
                .weightInit(WeightInit.XAVIER)
                .trainingWorkspaceMode(WorkspaceMode.ENABLED)
                .inferenceWorkspaceMode(WorkspaceMode.ENABLED)
                .list()
                .layer(lstm)
                .layer(new GlobalPoolingLayer.Builder(PoolingType.AVG).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(2 * o.hidden).nOut(2)
                        .activation(Activation.SOFTMAX).build())
                .build());
        net.init();
        return net;
    }

    private static INDArray prePadding(int batch, int steps, double padding) {
        INDArray mask = Nd4j.ones(DataType.FLOAT, batch, steps);
        for (int i = 0; i < batch; i++) {
            // Padding of 0, 0.5, 1, 1.5, 2 times the mean fraction, in turn.
            int pad = Math.min(steps - 1, (int) Math.round(steps * padding * (i % 5) / 2.0));
            for (int t = 0; t < pad; t++) {
                mask.putScalar(i, t, 0.0);
            }
        }
        return mask;
    }

    /**
     * Wall and thread-CPU milliseconds per call after {@code warmup} untimed calls, {@code beforeTiming}
     * run in between. CPU time is what one core would take when the machine is shared.
     */
    private static double[][] time(int warmup, int iters, Runnable r, Runnable beforeTiming) {
        for (int i = 0; i < warmup; i++) {
            r.run();
        }
        beforeTiming.run();
        double[][] ms = new double[2][iters];
        for (int i = 0; i < iters; i++) {
            long c0 = THREADS.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            r.run();
            ms[0][i] = (System.nanoTime() - t0) / 1e6;
            ms[1][i] = (THREADS.getCurrentThreadCpuTime() - c0) / 1e6;
        }
        return ms;
    }

    private static void report(String what, double[][] ms, int batch) {
        double[] wall = ms[0].clone();
        double[] cpu = ms[1].clone();
        Arrays.sort(wall);
        Arrays.sort(cpu);
        double wallMedian = wall[wall.length / 2];
        double cpuMedian = cpu[cpu.length / 2];
        System.out.printf(Locale.ROOT, "%-44s wall %7.1f ms [%7.1f..%7.1f] %6.1f samples/s | cpu %7.1f ms [%7.1f..%7.1f] %6.1f samples/s%n",
                what, wallMedian, wall[0], wall[wall.length - 1], 1000.0 * batch / wallMedian,
                cpuMedian, cpu[0], cpu[cpu.length - 1], 1000.0 * batch / cpuMedian);
    }

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private record Options(List<LstmImpl> impls, int batch, int steps, int nIn, int hidden, int inferBatch,
            int iters, double padding) {

        static Options parse(String[] args) {
            String impl = "both";
            int batch = 32;
            int steps = 150;
            int nIn = 100;
            int hidden = 128;
            int inferBatch = 256;
            int iters = 10;
            double padding = 0.0;
            for (String a : args) {
                String[] kv = a.split("=", 2);
                if (kv.length != 2) {
                    throw new IllegalArgumentException("Arguments are key=value, got " + a);
                }
                switch (kv[0]) {
                    case "impl" -> impl = kv[1];
                    case "batch" -> batch = Integer.parseInt(kv[1]);
                    case "steps" -> steps = Integer.parseInt(kv[1]);
                    case "nIn" -> nIn = Integer.parseInt(kv[1]);
                    case "hidden" -> hidden = Integer.parseInt(kv[1]);
                    case "inferBatch" -> inferBatch = Integer.parseInt(kv[1]);
                    case "iters" -> iters = Integer.parseInt(kv[1]);
                    case "mask" -> padding = Double.parseDouble(kv[1]);
                    default -> throw new IllegalArgumentException("Unknown argument " + kv[0]);
                }
            }
            List<LstmImpl> impls = new ArrayList<>();
            if (impl.equals("both") || impl.equals("stock")) {
                impls.add(LstmImpl.STOCK);
            }
            if (impl.equals("both") || impl.equals("fast")) {
                impls.add(LstmImpl.FAST);
            }
            return new Options(impls, batch, steps, nIn, hidden, inferBatch, iters, padding);
        }
    }
}
