package dev.imdbstream.benchmarks.model;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;

import dev.imdbstream.model.EmbeddingVariant;
import dev.imdbstream.model.NetworkConfig;
import dev.imdbstream.model.SentimentNetwork;
import dev.imdbstream.model.cpu.FusedAdam;

/**
 * JMH: one Adam step over all the notebook's parameters (1,318,081) as one updater block, with its optimiser settings,
 * ND4J's {@link Adam} (its native {@code adam_updater} op) against the project's {@link FusedAdam}. Run by
 * {@code bin/jmh-benchmark.sh OptimiserStep}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
public class OptimiserStep {

    @Param({"nd4j", "fused"})
    public String updater;

    private GradientUpdater<?> step;
    private INDArray gradient;
    private int iteration;

    @Setup
    public void setUp() {
        NetworkConfig notebook = NetworkConfig.notebook(EmbeddingVariant.RANDOM);
        long parameters = SentimentNetwork.parameterCounts(SentimentNetwork.build(notebook, 1, null)).total();
        IUpdater config = updater.equals("fused")
                ? new FusedAdam(notebook.learningRate(), NetworkConfig.ADAM_BETA1, NetworkConfig.ADAM_BETA2,
                        notebook.adamEpsilon())
                : new Adam(notebook.learningRate(), NetworkConfig.ADAM_BETA1, NetworkConfig.ADAM_BETA2,
                        notebook.adamEpsilon());
        step = config.instantiate(Nd4j.zeros(DataType.FLOAT, 1, 2 * parameters), true);
        gradient = Nd4j.rand(DataType.FLOAT, 1, parameters).subi(0.5);
    }

    /** The step replaces the gradient with the update; the next step reads it as its gradient, which is as costly. */
    @Benchmark
    public INDArray step() {
        step.applyUpdater(gradient, iteration++, 0);
        return gradient;
    }
}
