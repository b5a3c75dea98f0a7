package dev.imdbstream.model.lstm;

import java.nio.Buffer;
import java.nio.FloatBuffer;
import java.util.Arrays;

import dev.imdbstream.model.cpu.Scratch;

/**
 * {@link GateMath} over float buffers. Each example's row is copied into heap arrays and processed by
 * short loops of plain float arithmetic ({@link GateMath#tanhFloat}) that C2 turns into SIMD code;
 * per-element calls to {@link Math#exp} cost several times more.
 */
final class FloatGateMath implements GateMath {

    private float[] z = new float[0];
    private float[] biasRow = new float[0];
    private float[] cPrev = new float[0];
    private float[] cell = new float[0];
    private float[] tanhCell = new float[0];
    private float[] out = new float[0];
    private float[] dz = new float[0];
    private float[] dOutRow = new float[0];
    private float[] carryRow = new float[0];

    private void size(int hidden) {
        if (cell.length != hidden) {
            z = new float[4 * hidden];
            biasRow = new float[4 * hidden];
            dz = new float[4 * hidden];
            cPrev = new float[hidden];
            cell = new float[hidden];
            tanhCell = new float[hidden];
            out = new float[hidden];
            dOutRow = new float[hidden];
            carryRow = new float[hidden];
        }
    }

    @Override
    public void forward(int batch, int hidden, Scratch gates, long gateOffset, int gateStride, double[] bias,
            int biasOffset, double[] mask, int maskOffset, Scratch cellState, long cPrevOffset, long cOffset,
            Scratch tanhCellState, long tanhCellOffset, Scratch output, long outOffset, Buffer result,
            long resultOffset, int exampleStride, int unitStride) {
        FloatBuffer r = (FloatBuffer) result;
        size(hidden);
        int h = hidden;
        int g4 = 4 * h;
        for (int j = 0; j < g4; j++) {
            biasRow[j] = (float) bias[biasOffset + j];
        }
        FloatBuffer g = gates.floatBuffer;
        FloatBuffer c = cellState.floatBuffer;
        FloatBuffer tc = tanhCellState == null ? null : tanhCellState.floatBuffer;
        FloatBuffer hOut = output.floatBuffer;
        for (int b = 0; b < batch; b++) {
            float m = mask == null ? 1f : (float) mask[maskOffset + b];
            int state = b * h;
            if (m == 0f) {
                Arrays.fill(out, 0f);
                c.put((int) cOffset + state, out, 0, h);
                hOut.put((int) outOffset + state, out, 0, h);
                if (tc != null) {
                    tc.put((int) tanhCellOffset + state, out, 0, h);
                }
                write(r, (int) resultOffset + b * exampleStride, unitStride, h);
                continue;
            }
            int row = (int) gateOffset + b * gateStride;
            g.get(row, z, 0, g4);
            if (cPrevOffset < 0) {
                Arrays.fill(cPrev, 0f);
            } else {
                c.get((int) cPrevOffset + state, cPrev, 0, h);
            }
            for (int j = 0; j < h; j++) {
                z[j] = GateMath.tanhFloat(z[j] + biasRow[j]);
            }
            for (int j = h; j < g4; j++) {
                z[j] = GateMath.sigmoidFloat(z[j] + biasRow[j]);
            }
            for (int j = 0; j < h; j++) {
                float cRaw = z[h + j] * cPrev[j] + z[3 * h + j] * z[j];
                float t = GateMath.tanhFloat(cRaw);
                tanhCell[j] = t;
                cell[j] = m * cRaw;
                out[j] = m * z[2 * h + j] * t;
            }
            c.put((int) cOffset + state, cell, 0, h);
            hOut.put((int) outOffset + state, out, 0, h);
            if (tc != null) {
                // Only the backward pass reads the activations back.
                g.put(row, z, 0, g4);
                tc.put((int) tanhCellOffset + state, tanhCell, 0, h);
            }
            write(r, (int) resultOffset + b * exampleStride, unitStride, h);
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
            Scratch dOut, long dOutOffset, Scratch dGates, long dGateOffset, double[] carry,
            double[] biasGrad, int biasOffset) {
        size(hidden);
        int h = hidden;
        int g4 = 4 * h;
        FloatBuffer g = gates.floatBuffer;
        FloatBuffer c = cellState.floatBuffer;
        FloatBuffer tc = tanhCellState.floatBuffer;
        FloatBuffer dh = dOut.floatBuffer;
        FloatBuffer dg = dGates.floatBuffer;
        for (int b = 0; b < batch; b++) {
            float m = mask == null ? 1f : (float) mask[maskOffset + b];
            int state = b * h;
            int drow = (int) dGateOffset + b * gateStride;
            if (m == 0f) {
                Arrays.fill(dz, 0f);
                dg.put(drow, dz, 0, g4);
                Arrays.fill(carry, state, state + h, 0.0);
                continue;
            }
            g.get((int) gateOffset + b * gateStride, z, 0, g4);
            tc.get((int) tanhCellOffset + state, tanhCell, 0, h);
            dh.get((int) dOutOffset + state, dOutRow, 0, h);
            if (cPrevOffset < 0) {
                Arrays.fill(cPrev, 0f);
            } else {
                c.get((int) cPrevOffset + state, cPrev, 0, h);
            }
            for (int j = 0; j < h; j++) {
                carryRow[j] = (float) carry[state + j];
            }
            for (int j = 0; j < h; j++) {
                float a = z[j];
                float f = z[h + j];
                float o = z[2 * h + j];
                float in = z[3 * h + j];
                float t = tanhCell[j];
                float dhm = m * dOutRow[j];
                float dc = dhm * o * (1f - t * t) + m * carryRow[j];
                dz[j] = dc * in * (1f - a * a);
                dz[h + j] = dc * cPrev[j] * f * (1f - f);
                dz[2 * h + j] = dhm * t * o * (1f - o);
                dz[3 * h + j] = dc * a * in * (1f - in);
                carryRow[j] = dc * f;
            }
            for (int j = 0; j < h; j++) {
                carry[state + j] = carryRow[j];
            }
            for (int j = 0; j < g4; j++) {
                biasGrad[biasOffset + j] += dz[j];
            }
            dg.put(drow, dz, 0, g4);
        }
    }
}
