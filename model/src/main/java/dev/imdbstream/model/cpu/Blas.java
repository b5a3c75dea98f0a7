package dev.imdbstream.model.cpu;

import static org.bytedeco.openblas.global.openblas_nolapack.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasRowMajor;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.cblas_dgemm;
import static org.bytedeco.openblas.global.openblas_nolapack.cblas_dgemv;
import static org.bytedeco.openblas.global.openblas_nolapack.cblas_sgemm;
import static org.bytedeco.openblas.global.openblas_nolapack.cblas_sgemv;

/**
 * Row-major GEMM on {@link Scratch} buffers through the OpenBLAS that ND4J's CPU backend already loads.
 * Called directly because {@code Nd4j.gemm}'s bookkeeping per call costs about as much as the whole
 * {@code [32,128]x[128,512]} product of one recurrent step.
 */
public final class Blas {

    /**
     * Up to this many rows of {@code C}, a GEMM is computed as one GEMV per row. OpenBLAS' GEMM packs {@code B} on
     * every call, whatever the number of rows, while a GEMV reads it as it is: for a few rows the GEMVs cost less
     * (where the two meet is measured in the module's README). This is what makes an inference pass over one review
     * cheaper: its 2 x 150 recurrent steps are products of a single row.
     */
    static final int GEMV_MAX_ROWS = 12;

    private Blas() {
    }

    /** {@code C[m,n] = op(A)[m,k] * op(B)[k,n] + beta * C}, offsets and leading dimensions in elements. */
    public static void gemm(boolean transA, boolean transB, int m, int n, int k,
            Scratch a, long aOffset, int lda, Scratch b, long bOffset, int ldb,
            double beta, Scratch c, long cOffset, int ldc) {
        if (m == 0 || n == 0) {
            return;
        }
        if (m <= GEMV_MAX_ROWS && k > 0) {
            gemvRows(transA, transB, m, n, k, a, aOffset, lda, b, bOffset, ldb, beta, c, cOffset, ldc);
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

    /** Row i of C is {@code op(B)^T} times row i of {@code op(A)}: one GEMV over B as stored, per row. */
    private static void gemvRows(boolean transA, boolean transB, int m, int n, int k,
            Scratch a, long aOffset, int lda, Scratch b, long bOffset, int ldb,
            double beta, Scratch c, long cOffset, int ldc) {
        // B is stored [k,n] (op(B)^T x: transposed) or, when transB, [n,k] (op(B)^T x = B x: as it is).
        int tb = transB ? CblasNoTrans : CblasTrans;
        int bRows = transB ? n : k;
        int bCols = transB ? k : n;
        // Row i of op(A): row i of A, or column i when transA (A stored [k,m]).
        int incx = transA ? lda : 1;
        for (int i = 0; i < m; i++) {
            long x = aOffset + (transA ? i : (long) i * lda);
            long y = cOffset + (long) i * ldc;
            if (c.floats != null) {
                cblas_sgemv(CblasRowMajor, tb, bRows, bCols, 1f, b.floats.position(bOffset), ldb,
                        a.floats.position(x), incx, (float) beta, c.floats.position(y), 1);
            } else {
                cblas_dgemv(CblasRowMajor, tb, bRows, bCols, 1d, b.doubles.position(bOffset), ldb,
                        a.doubles.position(x), incx, beta, c.doubles.position(y), 1);
            }
        }
    }
}
