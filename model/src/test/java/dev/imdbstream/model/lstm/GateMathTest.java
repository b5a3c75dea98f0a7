package dev.imdbstream.model.lstm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.FloatBuffer;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;

import dev.imdbstream.model.cpu.RowsGemm;
import dev.imdbstream.model.cpu.Scratch;

/**
 * The float gate maths ({@link VectorGateMath} on the Vector API, {@link FloatGateMath} without it) against {@link
 * DoubleGateMath} on the same inputs: two forward steps and the two backward steps of one direction, laid out as
 * {@link BiLstmKernel} lays them out (gate rows of both directions interleaved, this one the second), with masked
 * examples, and widths that leave a tail after the last full vector.
 */
class GateMathTest {

    private static final double TOLERANCE = 2e-6;

    @Test
    void shouldPickTheVectorMathForFloatsWhereTheVectorApiIsThere() {
        assertThat(RowsGemm.AVAILABLE).as("tests run with --add-modules jdk.incubator.vector").isTrue();
        assertThat(GateMath.forType(false)).isInstanceOf(VectorGateMath.class);
        assertThat(GateMath.forType(true)).isInstanceOf(DoubleGateMath.class);
    }

    @ParameterizedTest(name = "{0}, batch {1}, hidden {2}, unit stride {3}")
    @CsvSource({"vector, 5, 35, 1", "vector, 3, 16, 1", "vector, 4, 7, 4", "vector, 6, 128, 6", "float, 5, 35, 1",
            "float, 4, 7, 4"})
    void shouldComputeTheDoublePrecisionStepsInFloat(String impl, int batch, int hidden, int unitStride) {
        GateMath math = impl.equals("vector") ? new VectorGateMath() : new FloatGateMath();
        Steps expected = new Steps(DataType.DOUBLE, batch, hidden, unitStride);
        Steps actual = new Steps(DataType.FLOAT, batch, hidden, unitStride);

        expected.run(new DoubleGateMath());
        actual.run(math);

        assertThat(maxDifference(actual.result, expected.result)).as("output").isLessThan(TOLERANCE);
        assertThat(maxDifference(actual.cell, expected.cell)).as("cell state").isLessThan(TOLERANCE);
        assertThat(maxDifference(actual.dGates, expected.dGates)).as("gate gradients").isLessThan(TOLERANCE);
        assertThat(maxDifference(actual.biasGrad, expected.biasGrad)).as("bias gradient").isLessThan(TOLERANCE);
        assertThat(actual.dGates.array.getDouble(actual.gateIndex(0, 1, 0))).as("masked example's gradient")
                .isZero();
    }

    /** Inputs and buffers of two steps of the second direction, filled from one seed whatever the type. */
    private static final class Steps {
        static final int STEPS = 2;
        final int batch;
        final int hidden;
        final int gateStride;
        final int unitStride;
        final Scratch gates;
        final Scratch cell;
        final Scratch tanhCell;
        final Scratch out;
        final Scratch dOut;
        final Scratch dGates;
        final Scratch result;
        final double[] bias;
        final double[] mask;
        final double[] biasGrad;

        Steps(DataType type, int batch, int hidden, int unitStride) {
            this.batch = batch;
            this.hidden = hidden;
            this.gateStride = 8 * hidden;
            this.unitStride = unitStride;
            int rows = STEPS * batch;
            gates = Scratch.ensure(null, type, (long) rows * gateStride);
            cell = Scratch.ensure(null, type, (long) rows * hidden);
            tanhCell = Scratch.ensure(null, type, (long) rows * hidden);
            out = Scratch.ensure(null, type, (long) rows * hidden);
            dOut = Scratch.ensure(null, type, (long) batch * hidden);
            dGates = Scratch.ensure(null, type, (long) rows * gateStride);
            result = Scratch.ensure(null, type, (long) rows * hidden * unitStride + batch);
            Random random = new Random(11);
            fill(gates, random, 3.0);
            fill(dOut, random, 1.0);
            fill(dGates, random, 1.0); // every row is written by the backward step
            fill(result, random, 0.0);
            bias = new double[8 * hidden];
            for (int i = 0; i < bias.length; i++) {
                bias[i] = random.nextGaussian();
            }
            // Example 1 is padding at step 0; the last example is half-weighted at step 1 (a non-binary mask).
            mask = new double[rows];
            java.util.Arrays.fill(mask, 1.0);
            mask[1] = 0.0;
            mask[batch + batch - 1] = 0.5;
            biasGrad = new double[8 * hidden];
        }

        int gateIndex(int step, int example, int column) {
            return (step * batch + example) * gateStride + 4 * hidden + column;
        }

        void run(GateMath math) {
            int h = hidden;
            for (int t = 0; t < STEPS; t++) {
                long state = (long) t * batch * h;
                math.forward(batch, h, gates, gateIndex(t, 0, 0), gateStride, bias, 4 * h, mask, t * batch, cell,
                        t == 0 ? -1 : state - (long) batch * h, state, tanhCell, state, out, state,
                        result.floatBuffer != null ? result.floatBuffer : result.doubleBuffer,
                        t * (long) batch * h * unitStride, unitStride == 1 ? h : 1, unitStride, false);
            }
            math.clearCarry(batch, h);
            for (int t = STEPS - 1; t >= 0; t--) {
                long state = (long) t * batch * h;
                math.backward(batch, h, gates, gateIndex(t, 0, 0), gateStride, mask, t * batch, cell,
                        t == 0 ? -1 : state - (long) batch * h, tanhCell, state, dOut, 0, dGates, gateIndex(t, 0, 0),
                        biasGrad, 4 * h, false);
            }
        }

        private static void fill(Scratch s, Random random, double scale) {
            for (long i = 0; i < s.capacity; i++) {
                double v = scale * random.nextGaussian();
                if (s.floatBuffer != null) {
                    s.floatBuffer.put((int) i, (float) v);
                } else {
                    s.doubleBuffer.put((int) i, v);
                }
            }
        }
    }

    private static double maxDifference(Scratch actual, Scratch expected) {
        double max = 0;
        FloatBuffer a = actual.floatBuffer;
        for (int i = 0; i < actual.capacity; i++) {
            max = Math.max(max, Math.abs(a.get(i) - expected.doubleBuffer.get(i)));
        }
        return max;
    }

    private static double maxDifference(double[] actual, double[] expected) {
        double max = 0;
        for (int i = 0; i < actual.length; i++) {
            max = Math.max(max, Math.abs(actual[i] - expected[i]));
        }
        return max;
    }
}
