package dev.imdbstream.model.lstm;

import java.nio.Buffer;
import java.nio.FloatBuffer;
import java.util.Arrays;

import dev.imdbstream.model.cpu.FloatMath;
import dev.imdbstream.model.cpu.Scratch;

/**
 * {@link GateMath} over float buffers where the JVM has no Vector API (else {@link VectorGateMath}). Each example's row is copied into heap arrays, one per gate, and processed by
 * short loops of plain float arithmetic ({@link FloatMath}) in which every array is indexed by the same
 * {@code j}: C2 only turns a loop into SIMD code when it can see that its stores do not overlap its loads, which it
 * cannot for different offsets into arrays that might be the same one. Per-element calls to {@link Math#exp} would
 * cost several times more.
 */
final class FloatGateMath implements GateMath {

    private float[] za = new float[0];
    private float[] zf = new float[0];
    private float[] zo = new float[0];
    private float[] zg = new float[0];
    private float[] ba = new float[0];
    private float[] bf = new float[0];
    private float[] bo = new float[0];
    private float[] bg = new float[0];
    private float[] da = new float[0];
    private float[] df = new float[0];
    private float[] dO = new float[0];
    private float[] dgi = new float[0];
    private float[] cPrev = new float[0];
    private float[] cell = new float[0];
    private float[] tanhCell = new float[0];
    private float[] out = new float[0];
    private float[] dOutRow = new float[0];
    private float[] carryRow = new float[0];
    private float[] zeros = new float[0];
    private float[] sumA = new float[0];
    private float[] sumF = new float[0];
    private float[] sumO = new float[0];
    private float[] sumG = new float[0];

    /** dL/dc of every example's cell, carried from one backward step to the previous one. */
    private float[] carried = new float[0];

    private float[] carry(int batch, int hidden) {
        if (carried.length < batch * hidden) {
            carried = new float[batch * hidden];
        }
        return carried;
    }

    @Override
    public void clearCarry(int batch, int hidden) {
        Arrays.fill(carry(batch, hidden), 0, batch * hidden, 0f);
    }

    private void size(int hidden) {
        if (cell.length != hidden) {
            za = new float[hidden];
            zf = new float[hidden];
            zo = new float[hidden];
            zg = new float[hidden];
            ba = new float[hidden];
            bf = new float[hidden];
            bo = new float[hidden];
            bg = new float[hidden];
            da = new float[hidden];
            df = new float[hidden];
            dO = new float[hidden];
            dgi = new float[hidden];
            cPrev = new float[hidden];
            cell = new float[hidden];
            tanhCell = new float[hidden];
            out = new float[hidden];
            dOutRow = new float[hidden];
            carryRow = new float[hidden];
            zeros = new float[4 * hidden];
            sumA = new float[hidden];
            sumF = new float[hidden];
            sumO = new float[hidden];
            sumG = new float[hidden];
        }
    }

    @Override
    public void forward(int batch, int hidden, Scratch gates, long gateOffset, int gateStride, double[] bias,
            int biasOffset, double[] mask, int maskOffset, Scratch cellState, long cPrevOffset, long cOffset,
            Scratch tanhCellState, long tanhCellOffset, Scratch output, long outOffset, Buffer result,
            long resultOffset, int exampleStride, int unitStride, boolean addRecurrent) {
        if (addRecurrent) {
            throw new IllegalStateException("the recurrent product is the caller's here");
        }
        FloatBuffer r = (FloatBuffer) result;
        size(hidden);
        int h = hidden;
        for (int j = 0; j < h; j++) {
            ba[j] = (float) bias[biasOffset + j];
            bf[j] = (float) bias[biasOffset + h + j];
            bo[j] = (float) bias[biasOffset + 2 * h + j];
            bg[j] = (float) bias[biasOffset + 3 * h + j];
        }
        FloatBuffer g = gates.floatBuffer;
        FloatBuffer c = cellState.floatBuffer;
        FloatBuffer tc = tanhCellState == null ? null : tanhCellState.floatBuffer;
        FloatBuffer hOut = output.floatBuffer;
        float[] a = za;
        float[] f = zf;
        float[] o = zo;
        float[] in = zg;
        float[] cp = cPrev;
        float[] ce = cell;
        float[] th = tanhCell;
        float[] ou = out;
        for (int b = 0; b < batch; b++) {
            float m = mask == null ? 1f : (float) mask[maskOffset + b];
            int state = b * h;
            if (m == 0f) {
                c.put((int) cOffset + state, zeros, 0, h);
                hOut.put((int) outOffset + state, zeros, 0, h);
                if (tc != null) {
                    tc.put((int) tanhCellOffset + state, zeros, 0, h);
                }
                Arrays.fill(ou, 0f);
                write(r, (int) resultOffset + b * exampleStride, unitStride, h);
                continue;
            }
            int row = (int) gateOffset + b * gateStride;
            readGates(g, row, h);
            readCPrev(c, cPrevOffset, state, h);
            FloatMath.tanh(a, ba, a, h);
            FloatMath.sigmoid(f, bf, f, h);
            FloatMath.sigmoid(o, bo, o, h);
            FloatMath.sigmoid(in, bg, in, h);
            for (int j = 0; j < h; j++) {
                ce[j] = f[j] * cp[j] + in[j] * a[j];
            }
            FloatMath.tanh(ce, th, h);
            for (int j = 0; j < h; j++) {
                ou[j] = m * o[j] * th[j];
                ce[j] = m * ce[j];
            }
            c.put((int) cOffset + state, ce, 0, h);
            hOut.put((int) outOffset + state, ou, 0, h);
            if (tc != null) {
                // Only the backward pass reads the activations back.
                writeGates(za, zf, zo, zg, g, row, h);
                tc.put((int) tanhCellOffset + state, th, 0, h);
            }
            write(r, (int) resultOffset + b * exampleStride, unitStride, h);
        }
    }

    /** The four gate blocks of one example's row into {@link #za}, {@link #zf}, {@link #zo}, {@link #zg}. */
    private void readGates(FloatBuffer gates, int row, int h) {
        gates.get(row, za, 0, h);
        gates.get(row + h, zf, 0, h);
        gates.get(row + 2 * h, zo, 0, h);
        gates.get(row + 3 * h, zg, 0, h);
    }

    private static void writeGates(float[] a, float[] f, float[] o, float[] in, FloatBuffer gates, int row, int h) {
        gates.put(row, a, 0, h);
        gates.put(row + h, f, 0, h);
        gates.put(row + 2 * h, o, 0, h);
        gates.put(row + 3 * h, in, 0, h);
    }

    /** The previous step's cell state into {@link #cPrev}; zeros at the first step ({@code cPrevOffset < 0}). */
    private void readCPrev(FloatBuffer cellState, long cPrevOffset, int state, int h) {
        if (cPrevOffset < 0) {
            Arrays.fill(cPrev, 0f);
        } else {
            cellState.get((int) cPrevOffset + state, cPrev, 0, h);
        }
    }

    private void write(FloatBuffer result, int offset, int stride, int h) {
        if (result == null) {
            return;
        }
        if (stride == 1) {
            result.put(offset, out, 0, h);
        } else {
            for (int j = 0; j < h; j++) {
                result.put(offset + j * stride, out[j]);
            }
        }
    }

    @Override
    public void backward(int batch, int hidden, Scratch gates, long gateOffset, int gateStride, double[] mask,
            int maskOffset, Scratch cellState, long cPrevOffset, Scratch tanhCellState, long tanhCellOffset,
            Scratch dOut, long dOutOffset, Scratch dGates, long dGateOffset, double[] biasGrad, int biasOffset,
            boolean carryRecurrent) {
        if (carryRecurrent) {
            throw new IllegalStateException("the recurrent product is the caller's here");
        }
        float[] carry = carry(batch, hidden);
        size(hidden);
        int h = hidden;
        int g4 = 4 * h;
        FloatBuffer g = gates.floatBuffer;
        FloatBuffer c = cellState.floatBuffer;
        FloatBuffer tc = tanhCellState.floatBuffer;
        FloatBuffer dh = dOut.floatBuffer;
        FloatBuffer dg = dGates.floatBuffer;
        float[] a = za;
        float[] f = zf;
        float[] o = zo;
        float[] in = zg;
        float[] cp = cPrev;
        float[] th = tanhCell;
        float[] dOutR = dOutRow;
        float[] carryR = carryRow;
        float[] dA = da;
        float[] dF = df;
        float[] dOg = dO;
        float[] dG = dgi;
        // This step's bias gradients, summed over the batch in float arrays (a loop C2 vectorizes), added to the
        // double sums once per step: per row, the conversions and the four strided double updates cost more than
        // the gate math itself.
        float[] sA = sumA;
        float[] sF = sumF;
        float[] sO = sumO;
        float[] sG = sumG;
        Arrays.fill(sA, 0f);
        Arrays.fill(sF, 0f);
        Arrays.fill(sO, 0f);
        Arrays.fill(sG, 0f);
        for (int b = 0; b < batch; b++) {
            float m = mask == null ? 1f : (float) mask[maskOffset + b];
            int state = b * h;
            int drow = (int) dGateOffset + b * gateStride;
            if (m == 0f) {
                dg.put(drow, zeros, 0, g4);
                Arrays.fill(carry, state, state + h, 0f);
                continue;
            }
            int row = (int) gateOffset + b * gateStride;
            readGates(g, row, h);
            tc.get((int) tanhCellOffset + state, th, 0, h);
            dh.get((int) dOutOffset + state, dOutR, 0, h);
            readCPrev(c, cPrevOffset, state, h);
            System.arraycopy(carry, state, carryR, 0, h);
            for (int j = 0; j < h; j++) {
                float t = th[j];
                float dhm = m * dOutR[j];
                float dc = dhm * o[j] * (1f - t * t) + m * carryR[j];
                dA[j] = dc * in[j] * (1f - a[j] * a[j]);
                dF[j] = dc * cp[j] * f[j] * (1f - f[j]);
                dOg[j] = dhm * t * o[j] * (1f - o[j]);
                dG[j] = dc * a[j] * in[j] * (1f - in[j]);
                carryR[j] = dc * f[j];
            }
            System.arraycopy(carryR, 0, carry, state, h);
            for (int j = 0; j < h; j++) {
                sA[j] += dA[j];
                sF[j] += dF[j];
                sO[j] += dOg[j];
                sG[j] += dG[j];
            }
            writeGates(dA, dF, dOg, dG, dg, drow, h);
        }
        for (int j = 0; j < h; j++) {
            biasGrad[biasOffset + j] += sA[j];
            biasGrad[biasOffset + h + j] += sF[j];
            biasGrad[biasOffset + 2 * h + j] += sO[j];
            biasGrad[biasOffset + 3 * h + j] += sG[j];
        }
    }
}
