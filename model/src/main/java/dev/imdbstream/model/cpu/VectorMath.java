package dev.imdbstream.model.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link FloatMath}'s functions over arrays on the CPU's widest vectors, with the Vector API ({@code
 * jdk.incubator.vector}): only for code that runs where {@link RowsGemm#AVAILABLE}. C2 does not turn {@link
 * FloatMath}'s array loops into SIMD code of the machine's full width; these loops are written with vectors.
 *
 * <p>Vectors never cross a method boundary here: a method that takes or returns a vector is only fast when C2 inlines
 * it, and C2 refuses to inline a method of this size once it has compiled it on its own, which depends on the order
 * in which it sees the code. Each loop therefore holds the whole polynomial.
 */
public final class VectorMath {

    /** The widest float vector of this CPU. */
    public static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

    private VectorMath() {
    }

    /**
     * {@code out[outOffset + i] = tanh(x[xOffset + i] + b[bOffset + i])} for {@code i < n}, within a few ulps of
     * {@link FloatMath#tanh(float)}; {@code b} may be null (no bias), {@code out} may be {@code x}.
     */
    public static void tanh(float[] x, int xOffset, float[] b, int bOffset, float[] out, int outOffset, int n) {
        scaledTanh(x, xOffset, b, bOffset, out, outOffset, n, 1f, 1f, 0f);
    }

    /** As {@link #tanh(float[], int, float[], int, float[], int, int)}, for {@link FloatMath#sigmoid(float)}. */
    public static void sigmoid(float[] x, int xOffset, float[] b, int bOffset, float[] out, int outOffset, int n) {
        scaledTanh(x, xOffset, b, bOffset, out, outOffset, n, 0.5f, 0.5f, 0.5f);
    }

    /** {@code shift + scale * tanh(inScale * (x + b))}: tanh, and the logistic function as {@code (1 + tanh(x/2)) / 2}. */
    private static void scaledTanh(float[] x, int xOffset, float[] b, int bOffset, float[] out, int outOffset, int n,
            float inScale, float scale, float shift) {
        int i = 0;
        for (int bound = SPECIES.loopBound(n); i < bound; i += SPECIES.length()) {
            FloatVector v = FloatVector.fromArray(SPECIES, x, xOffset + i);
            if (b != null) {
                v = v.add(FloatVector.fromArray(SPECIES, b, bOffset + i));
            }
            // FloatMath.tanh's polynomials, with fused multiply-adds.
            FloatVector c = v.mul(inScale).max(-FloatMath.TANH_CLAMP).min(FloatMath.TANH_CLAMP);
            FloatVector x2 = c.mul(c);
            FloatVector p = x2.fma(FloatMath.P13, FloatMath.P11);
            p = x2.fma(p, FloatVector.broadcast(SPECIES, FloatMath.P9));
            p = x2.fma(p, FloatVector.broadcast(SPECIES, FloatMath.P7));
            p = x2.fma(p, FloatVector.broadcast(SPECIES, FloatMath.P5));
            p = x2.fma(p, FloatVector.broadcast(SPECIES, FloatMath.P3));
            p = x2.fma(p, FloatVector.broadcast(SPECIES, FloatMath.P1));
            p = c.mul(p);
            FloatVector q = x2.fma(FloatMath.Q6, FloatMath.Q4);
            q = x2.fma(q, FloatVector.broadcast(SPECIES, FloatMath.Q2));
            q = x2.fma(q, FloatVector.broadcast(SPECIES, FloatMath.Q0));
            p.div(q).fma(scale, shift).intoArray(out, outOffset + i);
        }
        for (; i < n; i++) {
            float v = b == null ? x[xOffset + i] : x[xOffset + i] + b[bOffset + i];
            out[outOffset + i] = shift + scale * FloatMath.tanh(inScale * v);
        }
    }
}
