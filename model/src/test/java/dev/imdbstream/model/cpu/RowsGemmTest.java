package dev.imdbstream.model.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;

/** {@link RowsGemm} against a plain triple loop: row counts around its block of four, k not a multiple of four. */
class RowsGemmTest {

    @ParameterizedTest(name = "{0} rows, k {1}")
    @CsvSource({"1, 9", "2, 9", "3, 8", "4, 9", "5, 12", "8, 3", "13, 9", "16, 128"})
    void shouldMultiplyAddLikeTheDefinition(int m, int k) {
        int n = 24;
        int ldb = k + 3; // B^T's rows, with room between them
        int lda = k + 2;
        int ldc = n + 5;
        long aOffset = 7;
        long bOffset = 11;
        long cOffset = 4;
        SplittableRandom random = new SplittableRandom(m * 31L + k);
        Scratch a = filled(aOffset + (long) m * lda, random);
        Scratch bt = filled(bOffset + (long) n * ldb, random);
        Scratch c = filled(cOffset + (long) m * ldc, random);
        double[][] expected = new double[m][n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = c.array.getDouble(cOffset + (long) i * ldc + j);
                for (int p = 0; p < k; p++) {
                    sum += a.array.getDouble(aOffset + (long) i * lda + p) * bt.array.getDouble(bOffset + (long) j * ldb + p);
                }
                expected[i][j] = sum;
            }
        }
        double padding = c.array.getDouble(cOffset + n); // between rows: must stay as it is

        RowsGemm gemm = new RowsGemm(k, n);
        gemm.loadTransposed(bt, bOffset, ldb);
        gemm.multiplyAdd(m, a, aOffset, lda, c, cOffset, ldc);

        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                assertEquals(expected[i][j], c.array.getDouble(cOffset + (long) i * ldc + j), 1e-4,
                        "C[" + i + "," + j + "]");
            }
        }
        if (m > 1) {
            assertEquals(padding, c.array.getDouble(cOffset + n));
        }
    }

    private static Scratch filled(long length, SplittableRandom random) {
        Scratch s = Scratch.ensure(null, DataType.FLOAT, length);
        for (long i = 0; i < length; i++) {
            s.array.putScalar(i, random.nextDouble(-1, 1));
        }
        return s;
    }
}
