package dev.imdbstream.model.cpu;

import java.nio.FloatBuffer;

/**
 * {@code C[m,n] += A[m,k] x B[k,n]} with {@code B} held on the heap: the recurrent product of an LSTM step in
 * inference. Per-row GEMV ({@link Blas}) reads all of {@code B} (256 kB for the notebook's {@code [128,512]}) once per
 * row, which bounds it by the cache's bandwidth, and a GEMM first copies {@code B} into its packed layout, at every
 * call; {@link VectorGemm} reads {@code B} once per four rows, as it is: an inference pass over four reviews takes
 * less time (ModelBenchmark {@code --serve-batches}; figures in the module's README). Needs the Vector API:
 * {@link #AVAILABLE} only on a JVM started with {@code --add-modules jdk.incubator.vector} (as the project's services,
 * tests and benchmarks are); without it callers use {@link Blas}. Float only. Not thread-safe: one instance per layer.
 */
public final class RowsGemm {

    /** Whether the Vector API is there: without it {@link VectorGemm} cannot be loaded. */
    public static final boolean AVAILABLE = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

    private final int k;
    private final int n;
    private final float[] b;
    private float[] staging = new float[0];
    private float[] a = new float[0];
    private float[] c = new float[0];

    public RowsGemm(int k, int n) {
        if (!AVAILABLE) {
            throw new IllegalStateException("RowsGemm needs --add-modules jdk.incubator.vector");
        }
        this.k = k;
        this.n = n;
        this.b = new float[k * n];
    }

    /**
     * Loads {@code B} from memory that holds {@code B^T} row-major ({@code [n,k]}, rows {@code ldb} apart): a
     * {@code [k,n]} matrix in column-major order, as DL4J stores its LSTM weights.
     */
    public void loadTransposed(Scratch src, long offset, int ldb) {
        if (staging.length < n * k) {
            staging = new float[n * k];
        }
        FloatBuffer from = src.floatBuffer;
        for (int j = 0; j < n; j++) {
            from.get((int) (offset + (long) j * ldb), staging, j * k, k);
        }
        // Blocks of 16 x 16, so that both sides of the transposition stay in cache.
        for (int j0 = 0; j0 < n; j0 += 16) {
            for (int p0 = 0; p0 < k; p0 += 16) {
                for (int p = p0, pe = Math.min(k, p0 + 16); p < pe; p++) {
                    for (int j = j0, je = Math.min(n, j0 + 16); j < je; j++) {
                        b[p * n + j] = staging[j * k + p];
                    }
                }
            }
        }
    }

    /** {@code C[i,:] += A[i,:] x B} for {@code i < m}; rows of {@code A} {@code lda} apart, of {@code C} {@code ldc}. */
    public void multiplyAdd(int m, Scratch aSrc, long aOffset, int lda, Scratch cDst, long cOffset, int ldc) {
        if (a.length < m * k) {
            a = new float[m * k];
            c = new float[m * n];
        }
        FloatBuffer in = aSrc.floatBuffer;
        FloatBuffer out = cDst.floatBuffer;
        for (int i = 0; i < m; i++) {
            in.get((int) (aOffset + (long) i * lda), a, i * k, k);
            out.get((int) (cOffset + (long) i * ldc), c, i * n, n);
        }
        VectorGemm.multiplyAdd(a, b, c, m, k, n);
        for (int i = 0; i < m; i++) {
            out.put((int) (cOffset + (long) i * ldc), c, i * n, n);
        }
    }
}
