package dev.imdbstream.model.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * {@link RowsGemm} against a plain triple loop: row counts around its blocks of eight, four and two rows, k not a
 * multiple of four, and widths with and without whole blocks of columns (two and four vectors of up to 16 lanes), with
 * a remainder.
 */
class RowsGemmTest {

    @ParameterizedTest(name = "{0} rows, k {1}, n {2}")
    @CsvSource({"1, 9, 24", "2, 9, 24", "3, 8, 24", "4, 9, 24", "5, 12, 24", "8, 3, 24", "13, 9, 24", "16, 128, 24",
            "1, 9, 147", "2, 5, 147", "4, 9, 147", "7, 3, 147", "8, 9, 147", "9, 4, 147", "15, 7, 147", "32, 128, 147",
            "35, 5, 147"})
    void shouldMultiplyAddLikeTheDefinition(int m, int k, int n) {
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
