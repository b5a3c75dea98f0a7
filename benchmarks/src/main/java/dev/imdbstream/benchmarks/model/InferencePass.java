package dev.imdbstream.benchmarks.model;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
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

import dev.imdbstream.model.EmbeddingVariant;
import dev.imdbstream.model.Inference;
import dev.imdbstream.model.LstmImpl;
import dev.imdbstream.model.NetworkConfig;
import dev.imdbstream.model.SentimentNetwork;

/**
 * JMH: one inference pass of the notebook's network with the project's FAST layers, as the scorer runs it on a
 * micro-batch ({@link Inference#predict} at full length, {@code batch} reviews of 150 tokens, untrained weights: the
 * same arithmetic). Run by {@code bin/jmh-benchmark.sh}; the forked JVM gets the Vector API as the services do, so
 * that small batches take cpu.RowsGemm.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
public class InferencePass {

    @Param({"1", "4", "32"})
    public int batch;

    private MultiLayerNetwork net;
    private int[][] tokens;

    @Setup
    public void setUp() {
        NetworkConfig config = NetworkConfig.notebook(EmbeddingVariant.RANDOM).withLstmImpl(LstmImpl.FAST);
        net = SentimentNetwork.build(config, 1, null);
        tokens = Arrays.copyOf(ModelBenchmark.sequences(Math.max(batch, 32), 150, config.vocabSize()), batch);
    }

    @Benchmark
    public double[] pass() {
        return Inference.predict(net, tokens, 0, false);
    }
}
