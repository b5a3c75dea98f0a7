package dev.imdbstream.model.cpu;

/**
 * Element-wise functions in float precision written with multiplications, additions and one division only, so that
 * C2 vectorizes loops of them; per-element calls to {@link Math#exp} or {@link Math#tanh} cost several times more.
 * Hot loops should use the array versions: the scalar functions are too large (95 bytes of bytecode) for C2 to
 * inline at call sites it does not consider hot, and a loop with a call in it stays scalar. Inside the array loops
 * the call site is hot, so C2 inlines the scalar function there and vectorizes the loop (its compiled code is the
 * same size as that of the loop with the body written out).
 */
public final class FloatMath {

    private FloatMath() {
    }

    // tanh's odd rational approximation (Eigen's for packets): degree 13 over 6, clamped where tanh rounds to +-1.
    // VectorMath evaluates the same polynomials.
    static final float TANH_CLAMP = 7.90531110763549805f;
    static final float P13 = -2.76076847742355e-16f;
    static final float P11 = 2.00018790482477e-13f;
    static final float P9 = -8.60467152213735e-11f;
    static final float P7 = 5.12229709037114e-08f;
    static final float P5 = 1.48572235717979e-05f;
    static final float P3 = 6.37261928875436e-04f;
    static final float P1 = 4.89352455891786e-03f;
    static final float Q6 = 1.19825839466702e-06f;
    static final float Q4 = 1.18534705686654e-04f;
    static final float Q2 = 2.26843463243900e-03f;
    static final float Q0 = 4.89352518554385e-03f;

    /** tanh within a few ulps (absolute). */
    public static float tanh(float x) {
        float c = Math.max(-TANH_CLAMP, Math.min(TANH_CLAMP, x));
        float x2 = c * c;
        float p = x2 * P13 + P11;
        p = x2 * p + P9;
        p = x2 * p + P7;
        p = x2 * p + P5;
        p = x2 * p + P3;
        p = x2 * p + P1;
        p = c * p;
        float q = x2 * Q6 + Q4;
        q = x2 * q + Q2;
        q = x2 * q + Q0;
        return p / q;
    }

    /** The logistic function (absolute error of a few ulps), as {@code (1 + tanh(x/2)) / 2}. */
    public static float sigmoid(float x) {
        return 0.5f + 0.5f * tanh(0.5f * x);
    }

    /** {@code out[i] = tanh(x[i] + b[i])} for {@code i < n}; {@code out} may be {@code x}. */
    public static void tanh(float[] x, float[] b, float[] out, int n) {
        for (int i = 0; i < n; i++) {
            out[i] = tanh(x[i] + b[i]);
        }
    }

    /** {@code out[i] = tanh(x[i])} for {@code i < n}; {@code out} may be {@code x}. */
    public static void tanh(float[] x, float[] out, int n) {
        for (int i = 0; i < n; i++) {
            out[i] = tanh(x[i]);
        }
    }

    /** {@code out[i] = sigmoid(x[i] + b[i])} for {@code i < n}; {@code out} may be {@code x}. */
    public static void sigmoid(float[] x, float[] b, float[] out, int n) {
        for (int i = 0; i < n; i++) {
            out[i] = sigmoid(x[i] + b[i]);
        }
    }
}
