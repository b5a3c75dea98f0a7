package dev.imdbstream.model.cpu;

import static org.bytedeco.openblas.global.openblas_nolapack.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasRowMajor;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.cblas_dgemm;
import static org.bytedeco.openblas.global.openblas_nolapack.cblas_sgemm;

/**
 * Row-major GEMM on {@link Scratch} buffers through the OpenBLAS that ND4J's CPU backend already loads.
 * Called directly because {@code Nd4j.gemm} costs about 70 µs of bookkeeping per call, as much as the
 * whole {@code [32,128]x[128,512]} product of one recurrent step.
 */
public final class Blas {

    private Blas() {
    }

    /** {@code C[m,n] = op(A)[m,k] * op(B)[k,n] + beta * C}, offsets and leading dimensions in elements. */
    public static void gemm(boolean transA, boolean transB, int m, int n, int k,
            Scratch a, long aOffset, int lda, Scratch b, long bOffset, int ldb,
            double beta, Scratch c, long cOffset, int ldc) {
        if (m == 0 || n == 0) {
            return;
        }
        int ta = transA ? CblasTrans : CblasNoTrans;
        int tb = transB ? CblasTrans : CblasNoTrans;
        if (c.floats != null) {
            cblas_sgemm(CblasRowMajor, ta, tb, m, n, k, 1f, a.floats.position(aOffset), lda,
                    b.floats.position(bOffset), ldb, (float) beta, c.floats.position(cOffset), ldc);
        } else {
            cblas_dgemm(CblasRowMajor, ta, tb, m, n, k, 1d, a.doubles.position(aOffset), lda,
                    b.doubles.position(bOffset), ldb, beta, c.doubles.position(cOffset), ldc);
        }
    }
}
