package dev.imdbstream.model.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;

/** {@link Blas#gemm} against a plain triple loop, on both of its paths (per-row GEMV and GEMM), at offsets. */
@Tag(BlasKernelCondition.TAG)
class BlasTest {

    @ParameterizedTest(name = "{0} rows, transA {1}, transB {2}, {3}")
    @CsvSource({
        "1, false, false, FLOAT", "1, false, true, FLOAT", "1, true, false, FLOAT", "1, true, true, FLOAT",
        "5, false, false, FLOAT", "5, false, true, DOUBLE", "5, true, false, DOUBLE", "5, true, true, FLOAT",
        "12, false, false, DOUBLE", "13, false, false, FLOAT", "40, true, true, DOUBLE", "40, false, true, FLOAT"})
    void shouldMultiplyLikeTheDefinition(int m, boolean transA, boolean transB, DataType type) {
        int n = 24;
        int k = 9;
        // Leading dimensions wider than the matrices and non-zero offsets, as in the layers' packed buffers.
        int lda = (transA ? m : k) + 3;
        int ldb = (transB ? k : n) + 2;
        int ldc = n + 5;
        long aOffset = 7;
        long bOffset = 11;
        long cOffset = 4;
        SplittableRandom random = new SplittableRandom(m * 31L + (transA ? 2 : 0) + (transB ? 1 : 0));
        Scratch a = filled(type, aOffset + (long) (transA ? k : m) * lda, random);
        Scratch b = filled(type, bOffset + (long) (transB ? n : k) * ldb, random);
        Scratch c = filled(type, cOffset + (long) m * ldc, random);
        double beta = 0.5;
        double[][] expected = new double[m][n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = beta * c.array.getDouble(cOffset + (long) i * ldc + j);
                for (int p = 0; p < k; p++) {
                    double x = a.array.getDouble(aOffset + (transA ? (long) p * lda + i : (long) i * lda + p));
                    double y = b.array.getDouble(bOffset + (transB ? (long) j * ldb + p : (long) p * ldb + j));
                    sum += x * y;
                }
                expected[i][j] = sum;
            }
        }
        double padding = c.array.getDouble(cOffset + n); // between rows: must stay as it is

        Blas.gemm(transA, transB, m, n, k, a, aOffset, lda, b, bOffset, ldb, beta, c, cOffset, ldc);

        double tolerance = type == DataType.FLOAT ? 1e-5 : 1e-12;
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                assertEquals(expected[i][j], c.array.getDouble(cOffset + (long) i * ldc + j), tolerance,
                        "C[" + i + "," + j + "]");
            }
        }
        if (m > 1) {
            assertEquals(padding, c.array.getDouble(cOffset + n));
        }
    }

    private static Scratch filled(DataType type, long length, SplittableRandom random) {
        Scratch s = Scratch.ensure(null, type, length);
        for (long i = 0; i < length; i++) {
            s.array.putScalar(i, random.nextDouble(-1, 1));
        }
        return s;
    }
}
