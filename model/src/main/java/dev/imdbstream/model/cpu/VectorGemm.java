package dev.imdbstream.model.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The SIMD kernel of {@link RowsGemm} and of the BiLSTM's recurrent products in training, written with the Vector API
 * ({@code jdk.incubator.vector}): loaded only when the JVM runs with {@code --add-modules jdk.incubator.vector} ({@link
 * RowsGemm#AVAILABLE}). For a block of eight (with AVX-512) or four rows and two vectors' width of columns, the sums
 * stay in registers over all of {@code k}: each element of {@code B} is read once per block of rows, where a GEMV per
 * row reads it once per row.
 */
public final class VectorGemm {

    private static final VectorSpecies<Float> S = VectorMath.SPECIES;

    /** Sixteen sums and their operands fit AVX-512's 32 vector registers; with AVX2's 16 they would spill. */
    private static final boolean EIGHT_ROWS = S.vectorBitSize() >= 512;

    private VectorGemm() {
    }

    /** {@code c[m][n] += a[m][k] x b[k][n]}, all row-major and packed. */
    public static void multiplyAdd(float[] a, float[] b, float[] c, int m, int k, int n) {
        int i = 0;
        for (; EIGHT_ROWS && i + 8 <= m; i += 8) {
            eightRows(a, b, c, i, k, n);
        }
        for (; i + 4 <= m; i += 4) {
            fourRows(a, b, c, i, k, n);
        }
        if (i + 2 <= m) {
            twoRows(a, b, c, i, k, n);
            i += 2;
        }
        if (i < m) {
            oneRow(a, b, c, i, k, n, 0);
        }
    }

    // Each kernel keeps its sums (rows x vectors of columns) in registers over all of k: eight hide the latency of the
    // fused multiply-adds; sixteen, with AVX-512's 32 registers, also halve the loads of B per multiply-add.

    /** Rows {@code i..i+7}: sixteen sums, each loaded vector of {@code B} used eight times. */
    private static void eightRows(float[] a, float[] b, float[] c, int i, int k, int n) {
        int l = S.length();
        int a0 = i * k;
        int c0 = i * n;
        int j = 0;
        for (; j + 2 * l <= n; j += 2 * l) {
            FloatVector s00 = FloatVector.fromArray(S, c, c0 + j);
            FloatVector s01 = FloatVector.fromArray(S, c, c0 + j + l);
            FloatVector s10 = FloatVector.fromArray(S, c, c0 + n + j);
            FloatVector s11 = FloatVector.fromArray(S, c, c0 + n + j + l);
            FloatVector s20 = FloatVector.fromArray(S, c, c0 + 2 * n + j);
            FloatVector s21 = FloatVector.fromArray(S, c, c0 + 2 * n + j + l);
            FloatVector s30 = FloatVector.fromArray(S, c, c0 + 3 * n + j);
            FloatVector s31 = FloatVector.fromArray(S, c, c0 + 3 * n + j + l);
            FloatVector s40 = FloatVector.fromArray(S, c, c0 + 4 * n + j);
            FloatVector s41 = FloatVector.fromArray(S, c, c0 + 4 * n + j + l);
            FloatVector s50 = FloatVector.fromArray(S, c, c0 + 5 * n + j);
            FloatVector s51 = FloatVector.fromArray(S, c, c0 + 5 * n + j + l);
            FloatVector s60 = FloatVector.fromArray(S, c, c0 + 6 * n + j);
            FloatVector s61 = FloatVector.fromArray(S, c, c0 + 6 * n + j + l);
            FloatVector s70 = FloatVector.fromArray(S, c, c0 + 7 * n + j);
            FloatVector s71 = FloatVector.fromArray(S, c, c0 + 7 * n + j + l);
            for (int p = 0; p < k; p++) {
                int o = p * n + j;
                FloatVector w0 = FloatVector.fromArray(S, b, o);
                FloatVector w1 = FloatVector.fromArray(S, b, o + l);
                FloatVector x = FloatVector.broadcast(S, a[a0 + p]);
                s00 = w0.fma(x, s00);
                s01 = w1.fma(x, s01);
                x = FloatVector.broadcast(S, a[a0 + k + p]);
                s10 = w0.fma(x, s10);
                s11 = w1.fma(x, s11);
                x = FloatVector.broadcast(S, a[a0 + 2 * k + p]);
                s20 = w0.fma(x, s20);
                s21 = w1.fma(x, s21);
                x = FloatVector.broadcast(S, a[a0 + 3 * k + p]);
                s30 = w0.fma(x, s30);
                s31 = w1.fma(x, s31);
                x = FloatVector.broadcast(S, a[a0 + 4 * k + p]);
                s40 = w0.fma(x, s40);
                s41 = w1.fma(x, s41);
                x = FloatVector.broadcast(S, a[a0 + 5 * k + p]);
                s50 = w0.fma(x, s50);
                s51 = w1.fma(x, s51);
                x = FloatVector.broadcast(S, a[a0 + 6 * k + p]);
                s60 = w0.fma(x, s60);
                s61 = w1.fma(x, s61);
                x = FloatVector.broadcast(S, a[a0 + 7 * k + p]);
                s70 = w0.fma(x, s70);
                s71 = w1.fma(x, s71);
            }
            s00.intoArray(c, c0 + j);
            s01.intoArray(c, c0 + j + l);
            s10.intoArray(c, c0 + n + j);
            s11.intoArray(c, c0 + n + j + l);
            s20.intoArray(c, c0 + 2 * n + j);
            s21.intoArray(c, c0 + 2 * n + j + l);
            s30.intoArray(c, c0 + 3 * n + j);
            s31.intoArray(c, c0 + 3 * n + j + l);
            s40.intoArray(c, c0 + 4 * n + j);
            s41.intoArray(c, c0 + 4 * n + j + l);
            s50.intoArray(c, c0 + 5 * n + j);
            s51.intoArray(c, c0 + 5 * n + j + l);
            s60.intoArray(c, c0 + 6 * n + j);
            s61.intoArray(c, c0 + 6 * n + j + l);
            s70.intoArray(c, c0 + 7 * n + j);
            s71.intoArray(c, c0 + 7 * n + j + l);
        }
        for (int r = 0; j < n && r < 8; r++) {
            oneRow(a, b, c, i + r, k, n, j);
        }
    }

    private static void fourRows(float[] a, float[] b, float[] c, int i, int k, int n) {
        int l = S.length();
        int a0 = i * k;
        int a1 = a0 + k;
        int a2 = a1 + k;
        int a3 = a2 + k;
        int c0 = i * n;
        int c1 = c0 + n;
        int c2 = c1 + n;
        int c3 = c2 + n;
        int j = 0;
        for (; j + 2 * l <= n; j += 2 * l) {
            FloatVector s00 = FloatVector.fromArray(S, c, c0 + j);
            FloatVector s01 = FloatVector.fromArray(S, c, c0 + j + l);
            FloatVector s10 = FloatVector.fromArray(S, c, c1 + j);
            FloatVector s11 = FloatVector.fromArray(S, c, c1 + j + l);
            FloatVector s20 = FloatVector.fromArray(S, c, c2 + j);
            FloatVector s21 = FloatVector.fromArray(S, c, c2 + j + l);
            FloatVector s30 = FloatVector.fromArray(S, c, c3 + j);
            FloatVector s31 = FloatVector.fromArray(S, c, c3 + j + l);
            for (int p = 0; p < k; p++) {
                int o = p * n + j;
                FloatVector w0 = FloatVector.fromArray(S, b, o);
                FloatVector w1 = FloatVector.fromArray(S, b, o + l);
                FloatVector x0 = FloatVector.broadcast(S, a[a0 + p]);
                FloatVector x1 = FloatVector.broadcast(S, a[a1 + p]);
                FloatVector x2 = FloatVector.broadcast(S, a[a2 + p]);
                FloatVector x3 = FloatVector.broadcast(S, a[a3 + p]);
                s00 = w0.fma(x0, s00);
                s01 = w1.fma(x0, s01);
                s10 = w0.fma(x1, s10);
                s11 = w1.fma(x1, s11);
                s20 = w0.fma(x2, s20);
                s21 = w1.fma(x2, s21);
                s30 = w0.fma(x3, s30);
                s31 = w1.fma(x3, s31);
            }
            s00.intoArray(c, c0 + j);
            s01.intoArray(c, c0 + j + l);
            s10.intoArray(c, c1 + j);
            s11.intoArray(c, c1 + j + l);
            s20.intoArray(c, c2 + j);
            s21.intoArray(c, c2 + j + l);
            s30.intoArray(c, c3 + j);
            s31.intoArray(c, c3 + j + l);
        }
        for (int r = 0; j < n && r < 4; r++) {
            oneRow(a, b, c, i + r, k, n, j);
        }
    }

    private static void twoRows(float[] a, float[] b, float[] c, int i, int k, int n) {
        int l = S.length();
        int a0 = i * k;
        int a1 = a0 + k;
        int c0 = i * n;
        int c1 = c0 + n;
        int j = 0;
        for (; j + 4 * l <= n; j += 4 * l) {
            FloatVector s00 = FloatVector.fromArray(S, c, c0 + j);
            FloatVector s01 = FloatVector.fromArray(S, c, c0 + j + l);
            FloatVector s02 = FloatVector.fromArray(S, c, c0 + j + 2 * l);
            FloatVector s03 = FloatVector.fromArray(S, c, c0 + j + 3 * l);
            FloatVector s10 = FloatVector.fromArray(S, c, c1 + j);
            FloatVector s11 = FloatVector.fromArray(S, c, c1 + j + l);
            FloatVector s12 = FloatVector.fromArray(S, c, c1 + j + 2 * l);
            FloatVector s13 = FloatVector.fromArray(S, c, c1 + j + 3 * l);
            for (int p = 0; p < k; p++) {
                int o = p * n + j;
                FloatVector w0 = FloatVector.fromArray(S, b, o);
                FloatVector w1 = FloatVector.fromArray(S, b, o + l);
                FloatVector w2 = FloatVector.fromArray(S, b, o + 2 * l);
                FloatVector w3 = FloatVector.fromArray(S, b, o + 3 * l);
                FloatVector x0 = FloatVector.broadcast(S, a[a0 + p]);
                FloatVector x1 = FloatVector.broadcast(S, a[a1 + p]);
                s00 = w0.fma(x0, s00);
                s01 = w1.fma(x0, s01);
                s02 = w2.fma(x0, s02);
                s03 = w3.fma(x0, s03);
                s10 = w0.fma(x1, s10);
                s11 = w1.fma(x1, s11);
                s12 = w2.fma(x1, s12);
                s13 = w3.fma(x1, s13);
            }
            s00.intoArray(c, c0 + j);
            s01.intoArray(c, c0 + j + l);
            s02.intoArray(c, c0 + j + 2 * l);
            s03.intoArray(c, c0 + j + 3 * l);
            s10.intoArray(c, c1 + j);
            s11.intoArray(c, c1 + j + l);
            s12.intoArray(c, c1 + j + 2 * l);
            s13.intoArray(c, c1 + j + 3 * l);
        }
        for (int r = 0; j < n && r < 2; r++) {
            oneRow(a, b, c, i + r, k, n, j);
        }
    }

    /** Row {@code i}'s columns {@code from..n}: eight vectors at a time, then one, then one by one. */
    private static void oneRow(float[] a, float[] b, float[] c, int i, int k, int n, int from) {
        int l = S.length();
        int aRow = i * k;
        int cRow = i * n;
        int j = from;
        for (; j + 8 * l <= n; j += 8 * l) {
            FloatVector s0 = FloatVector.fromArray(S, c, cRow + j);
            FloatVector s1 = FloatVector.fromArray(S, c, cRow + j + l);
            FloatVector s2 = FloatVector.fromArray(S, c, cRow + j + 2 * l);
            FloatVector s3 = FloatVector.fromArray(S, c, cRow + j + 3 * l);
            FloatVector s4 = FloatVector.fromArray(S, c, cRow + j + 4 * l);
            FloatVector s5 = FloatVector.fromArray(S, c, cRow + j + 5 * l);
            FloatVector s6 = FloatVector.fromArray(S, c, cRow + j + 6 * l);
            FloatVector s7 = FloatVector.fromArray(S, c, cRow + j + 7 * l);
            for (int p = 0; p < k; p++) {
                int o = p * n + j;
                FloatVector x = FloatVector.broadcast(S, a[aRow + p]);
                s0 = FloatVector.fromArray(S, b, o).fma(x, s0);
                s1 = FloatVector.fromArray(S, b, o + l).fma(x, s1);
                s2 = FloatVector.fromArray(S, b, o + 2 * l).fma(x, s2);
                s3 = FloatVector.fromArray(S, b, o + 3 * l).fma(x, s3);
                s4 = FloatVector.fromArray(S, b, o + 4 * l).fma(x, s4);
                s5 = FloatVector.fromArray(S, b, o + 5 * l).fma(x, s5);
                s6 = FloatVector.fromArray(S, b, o + 6 * l).fma(x, s6);
                s7 = FloatVector.fromArray(S, b, o + 7 * l).fma(x, s7);
            }
            s0.intoArray(c, cRow + j);
            s1.intoArray(c, cRow + j + l);
            s2.intoArray(c, cRow + j + 2 * l);
            s3.intoArray(c, cRow + j + 3 * l);
            s4.intoArray(c, cRow + j + 4 * l);
            s5.intoArray(c, cRow + j + 5 * l);
            s6.intoArray(c, cRow + j + 6 * l);
            s7.intoArray(c, cRow + j + 7 * l);
        }
        for (; j + l <= n; j += l) {
            FloatVector s = FloatVector.fromArray(S, c, cRow + j);
            for (int p = 0; p < k; p++) {
                s = FloatVector.fromArray(S, b, p * n + j).fma(FloatVector.broadcast(S, a[aRow + p]), s);
            }
            s.intoArray(c, cRow + j);
        }
        for (; j < n; j++) {
            float s = c[cRow + j];
            for (int p = 0; p < k; p++) {
                s = Math.fma(a[aRow + p], b[p * n + j], s);
            }
            c[cRow + j] = s;
        }
    }
}
