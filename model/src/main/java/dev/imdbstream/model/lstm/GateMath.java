package dev.imdbstream.model.lstm;

import java.nio.Buffer;

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
 */
interface GateMath {

    /**
     * Computes the gate activations from the pre-activations in {@code gates} (input and recurrent
     * products, without bias) and writes the cell state and the output; in training (with {@code
     * tanhCell}) also {@code tanh(c_raw)}, and the activations in place of the pre-activations;
     * the output also into {@code result} when given, unit {@code j} of example {@code b} at
     * {@code resultOffset + b + j * batch} (the layout of a step in an 'f'-order {@code [B, 2H, T]}).
     */
    void forward(int batch, int hidden, Scratch gates, long gateOffset, int gateStride, double[] bias,
            int biasOffset, double[] mask, int maskOffset, Scratch cell, long cPrevOffset, long cOffset,
            Scratch tanhCell, long tanhCellOffset, Scratch out, long outOffset, Buffer result,
            long resultOffset);

    /**
     * From {@code dOut} (dL/dh of this step, recurrent part included) and {@code carry} (dL/dc of this
     * step's cell, from the next step) writes the pre-activation gradients {@code dGates}, adds them to
     * {@code biasGrad}, and leaves dL/dc_prev in {@code carry}.
     */
    void backward(int batch, int hidden, Scratch gates, long gateOffset, int gateStride, double[] mask,
            int maskOffset, Scratch cell, long cPrevOffset, Scratch tanhCell, long tanhCellOffset,
            Scratch dOut, long dOutOffset, Scratch dGates, long dGateOffset, double[] carry,
            double[] biasGrad, int biasOffset);

    static GateMath forType(boolean isDouble) {
        return isDouble ? new DoubleGateMath() : new FloatGateMath();
    }

    static double sigmoid(double x) {
        return 1.0 / (1.0 + Math.exp(-x));
    }

    /** Within a few ulps of {@link Math#tanh} (absolute), and several times faster. */
    static double tanh(double x) {
        return 1.0 - 2.0 / (Math.exp(2.0 * x) + 1.0);
    }

    /**
     * tanh in float precision (a few ulps) without exp: the odd rational approximation Eigen uses for
     * packets, degree 13 over 6, clamped where tanh rounds to +-1. Only multiplications, additions and
     * one division, so C2 vectorizes loops of it.
     */
    static float tanhFloat(float x) {
        float c = Math.max(-7.90531110763549805f, Math.min(7.90531110763549805f, x));
        float x2 = c * c;
        float p = x2 * -2.76076847742355e-16f + 2.00018790482477e-13f;
        p = x2 * p + -8.60467152213735e-11f;
        p = x2 * p + 5.12229709037114e-08f;
        p = x2 * p + 1.48572235717979e-05f;
        p = x2 * p + 6.37261928875436e-04f;
        p = x2 * p + 4.89352455891786e-03f;
        p = c * p;
        float q = x2 * 1.19825839466702e-06f + 1.18534705686654e-04f;
        q = x2 * q + 2.26843463243900e-03f;
        q = x2 * q + 4.89352518554385e-03f;
        return p / q;
    }

    /** The logistic function in float precision (absolute), as {@code (1 + tanh(x/2)) / 2}. */
    static float sigmoidFloat(float x) {
        return 0.5f + 0.5f * tanhFloat(0.5f * x);
    }
}
