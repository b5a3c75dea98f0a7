package dev.imdbstream.model.cpu;

import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastMulOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The layout the CPU layers of this package exchange sequences in: a DL4J NCW array {@code [B, C, T]} that is a
 * {@code [B, T, C]} 'c'-order array permuted, so that row {@code b * T + t} of the underlying {@code [B*T, C]}
 * matrix holds the features of example {@code b} at step {@code t}, contiguous. One GEMM then covers all steps of
 * all examples, and per-feature loops run over contiguous memory. Arrays in any other layout are accepted and
 * copied into this one.
 */
public final class SequenceRows {

    private SequenceRows() {
    }

    /** Whether {@code x [B, C, T]} is stored as dense {@code [B, T, C]} rows (see the class comment). */
    public static boolean isRowLayout(INDArray x) {
        if (x.rank() != 3 || !Scratch.isDense(x)) {
            return false;
        }
        long[] s = x.stride();
        long c = x.size(1);
        long t = x.size(2);
        return (x.size(0) == 1 || s[0] == t * c) && (c == 1 || s[1] == 1) && (t == 1 || s[2] == c);
    }

    /** A new {@code [B, C, T]} array in the row layout. */
    public static INDArray create(LayerWorkspaceMgr workspaceMgr, ArrayType type, DataType dataType, long batch,
            long features, long steps) {
        return workspaceMgr.createUninitialized(type, dataType, new long[] {batch, steps, features}, 'c')
                .permute(0, 2, 1);
    }

    /** Sets {@code x [B, C, T]} to zero at the steps where {@code mask [B, T]} is 0; nothing if mask is null. */
    public static void zeroMaskedSteps(INDArray x, INDArray mask) {
        if (mask == null) {
            return;
        }
        long b = x.size(0);
        long c = x.size(1);
        long t = x.size(2);
        if (mask.rank() != 2 || mask.size(0) != b || mask.size(1) != t) {
            throw new IllegalArgumentException("Expected a features mask of shape [" + b + ", " + t + "], got "
                    + java.util.Arrays.toString(mask.shape()));
        }
        Scratch rows = isRowLayout(x) ? Scratch.wrap(x) : null;
        if (rows == null) {
            Nd4j.getExecutioner().exec(new BroadcastMulOp(x, mask.castTo(x.dataType()), x, 0, 2));
            return;
        }
        float[] m = mask.castTo(DataType.FLOAT).dup('c').data().asFloat();
        for (int r = 0; r < m.length; r++) {
            if (m[r] == 0f) {
                rows.zero((long) r * c, c);
            }
        }
    }

    /**
     * Copies features {@code [from, from + count)} of {@code x [B, C, T]} into {@code dst} time-major: step t of
     * example b at {@code dst[offset + (t * B + b) * count ...]}. Row by row when {@code x} has the row layout (a
     * strided ND4J copy costs several times more); returns false, copying nothing, otherwise.
     */
    public static boolean toTimeMajor(INDArray x, int from, int count, Scratch dst, long offset) {
        Scratch src = isRowLayout(x) ? Scratch.wrap(x) : null;
        if (src == null || src.floatBuffer == null != (dst.floatBuffer == null)) {
            return false;
        }
        int b = (int) x.size(0);
        int c = (int) x.size(1);
        int t = (int) x.size(2);
        if (src.floatBuffer != null) {
            float[] row = new float[count];
            for (int e = 0; e < b; e++) {
                for (int s = 0; s < t; s++) {
                    src.floatBuffer.get((e * t + s) * c + from, row, 0, count);
                    dst.floatBuffer.put((int) (offset + ((long) s * b + e) * count), row, 0, count);
                }
            }
        } else {
            double[] row = new double[count];
            for (int e = 0; e < b; e++) {
                for (int s = 0; s < t; s++) {
                    src.doubleBuffer.get((e * t + s) * c + from, row, 0, count);
                    dst.doubleBuffer.put((int) (offset + ((long) s * b + e) * count), row, 0, count);
                }
            }
        }
        return true;
    }

    /**
     * The inverse of {@link #toTimeMajor} for all features: fills {@code x [B, C, T]} from time-major rows of width
     * C at {@code src[offset...]}; false, copying nothing, unless {@code x} has the row layout.
     */
    public static boolean fromTimeMajor(Scratch src, long offset, INDArray x) {
        Scratch dst = isRowLayout(x) ? Scratch.wrap(x) : null;
        if (dst == null || src.floatBuffer == null != (dst.floatBuffer == null)) {
            return false;
        }
        int b = (int) x.size(0);
        int c = (int) x.size(1);
        int t = (int) x.size(2);
        if (src.floatBuffer != null) {
            float[] row = new float[c];
            for (int e = 0; e < b; e++) {
                for (int s = 0; s < t; s++) {
                    src.floatBuffer.get((int) (offset + ((long) s * b + e) * c), row, 0, c);
                    dst.floatBuffer.put((e * t + s) * c, row, 0, c);
                }
            }
        } else {
            double[] row = new double[c];
            for (int e = 0; e < b; e++) {
                for (int s = 0; s < t; s++) {
                    src.doubleBuffer.get((int) (offset + ((long) s * b + e) * c), row, 0, c);
                    dst.doubleBuffer.put((e * t + s) * c, row, 0, c);
                }
            }
        }
        return true;
    }

    /**
     * The rows of {@code x [B, C, T]}: {@code x}'s own memory when it has the row layout, else a copy in
     * {@code spare} (grown as needed, returned so the caller can keep it).
     */
    public static Scratch rows(INDArray x, Scratch[] spare) {
        if (isRowLayout(x)) {
            return Scratch.wrap(x);
        }
        long b = x.size(0);
        long c = x.size(1);
        long t = x.size(2);
        spare[0] = Scratch.ensure(spare[0], x.dataType(), b * t * c);
        spare[0].view(0, b, t, c).assign(x.permute(0, 2, 1));
        return spare[0];
    }
}
