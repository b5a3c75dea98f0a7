package dev.imdbstream.model.lstm;

import java.nio.Buffer;

import dev.imdbstream.model.cpu.RowsGemm;
import dev.imdbstream.model.cpu.Scratch;

/**
 * The element-wise part of one LSTM time step for one direction, over a whole mini-batch, fused into
 * one pass. Gate columns follow the stock layout: {@code [a | f | o | g]}, each {@code H} wide, where
 * {@code a = tanh(.)} is the block input and {@code f, o, g} are sigmoid gates (forget, output, input).
 * With mask value {@code m} of an example at this step:
 * <pre>
 *   c_raw = f * c_prev + g * a,   c = m * c_raw,   h = m * o * tanh(c_raw)
 * </pre>
 * which is the stock layer's formula. The backward step is the exact derivative of it.
 *
 * <p>Offsets are element offsets of row 0 (example 0) of this step; gate rows are {@code gateStride}
 * apart, state rows {@code H} apart. A negative {@code cPrevOffset} means a zero previous state.
 *
 * <p>An instance serves one direction: it may keep that direction's state from one step to the next.
 */
interface GateMath {

    /**
     * Computes the gate activations from the pre-activations in {@code gates} (input and recurrent
     * products, without bias) and writes the cell state and the output; in training (with {@code
     * tanhCell}) also {@code tanh(c_raw)}, and the activations in place of the pre-activations;
     * the output also into {@code result} when given, unit {@code j} of example {@code b} at
     * {@code resultOffset + b * exampleStride + j * unitStride}. With {@code addRecurrent} (only after {@link
     * #takeRecurrentWeights} returned true) it first adds the recurrent product {@code h_prev x RW} to the
     * pre-activations, {@code h_prev} being the output of this instance's previous call.
     */
    void forward(int batch, int hidden, Scratch gates, long gateOffset, int gateStride, double[] bias,
            int biasOffset, double[] mask, int maskOffset, Scratch cell, long cPrevOffset, long cOffset,
            Scratch tanhCell, long tanhCellOffset, Scratch out, long outOffset, Buffer result,
            long resultOffset, int exampleStride, int unitStride, boolean addRecurrent);

    /**
     * From {@code dOut} (dL/dh of this step; its recurrent part included unless this math carries that itself) and
     * the carried dL/dc of this step's cell (from the next step, held here in the math's own type) writes the
     * pre-activation gradients {@code dGates}, adds them to {@code biasGrad}, and carries dL/dc_prev to the previous
     * step. With {@code carryRecurrent} (only after {@link #takeRecurrentWeights} returned true) it also carries
     * dL/dh_prev {@code = dGates x RW^T}, which the next call adds to its {@code dOut}.
     */
    void backward(int batch, int hidden, Scratch gates, long gateOffset, int gateStride, double[] mask,
            int maskOffset, Scratch cell, long cPrevOffset, Scratch tanhCell, long tanhCellOffset,
            Scratch dOut, long dOutOffset, Scratch dGates, long dGateOffset, double[] biasGrad, int biasOffset,
            boolean carryRecurrent);

    /**
     * Sets the carried gradients of every example to zero: before the first step of a direction's backward pass, and
     * after a step in which no example was active.
     */
    void clearCarry(int batch, int hidden);

    /**
     * Offers this direction's recurrent weights {@code RW} ({@code [H, 4H]} row-major at {@code offset}), read now,
     * for {@code forward} and {@code backward} to compute the recurrent products themselves. Returns false where this
     * math does not: the caller then computes them (with BLAS, into {@code gates} and {@code dOut}).
     */
    default boolean takeRecurrentWeights(Scratch weights, long offset, int hidden) {
        return false;
    }

    static GateMath forType(boolean isDouble) {
        if (isDouble) {
            return new DoubleGateMath();
        }
        return RowsGemm.AVAILABLE ? new VectorGateMath() : new FloatGateMath();
    }

    static double sigmoid(double x) {
        return 1.0 / (1.0 + Math.exp(-x));
    }

    /** Within a few ulps of {@link Math#tanh} (absolute), and several times faster. */
    static double tanh(double x) {
        return 1.0 - 2.0 / (Math.exp(2.0 * x) + 1.0);
    }
}
