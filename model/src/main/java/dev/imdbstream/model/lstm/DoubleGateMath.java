package dev.imdbstream.model.lstm;

import java.nio.Buffer;
import java.nio.DoubleBuffer;
import java.util.Arrays;

import dev.imdbstream.model.cpu.Scratch;

/**
 * {@link GateMath} over double buffers, scalar and exact ({@link Math#exp}): for double-precision
 * networks such as gradient checks.
 */
final class DoubleGateMath implements GateMath {

    @Override
    public void forward(int batch, int hidden, Scratch gates, long gateOffset, int gateStride, double[] bias,
            int biasOffset, double[] mask, int maskOffset, Scratch cell, long cPrevOffset, long cOffset,
            Scratch tanhCell, long tanhCellOffset, Scratch out, long outOffset, Buffer result,
            long resultOffset, int exampleStride, int unitStride, boolean addRecurrent) {
        if (addRecurrent) {
            throw new IllegalStateException("the recurrent product is the caller's here");
        }
        DoubleBuffer r = (DoubleBuffer) result;
        DoubleBuffer g = gates.doubleBuffer;
        DoubleBuffer c = cell.doubleBuffer;
        DoubleBuffer tc = tanhCell == null ? null : tanhCell.doubleBuffer;
        DoubleBuffer h = out.doubleBuffer;
        int hh = hidden;
        for (int b = 0; b < batch; b++) {
            double m = mask == null ? 1.0 : mask[maskOffset + b];
            int state = b * hh;
            int cs = (int) cOffset + state;
            int hs = (int) outOffset + state;
            int ts = (int) tanhCellOffset + state;
            if (m == 0.0) {
                for (int j = 0; j < hh; j++) {
                    c.put(cs + j, 0.0);
                    h.put(hs + j, 0.0);
                    if (tc != null) {
                        tc.put(ts + j, 0.0);
                    }
                    if (r != null) {
                        r.put((int) resultOffset + b * exampleStride + j * unitStride, 0.0);
                    }
                }
                continue;
            }
            int row = (int) gateOffset + b * gateStride;
            int ps = (int) cPrevOffset + state;
            for (int j = 0; j < hh; j++) {
                int ia = row + j;
                int i = biasOffset + j;
                double a = GateMath.tanh(g.get(ia) + bias[i]);
                double f = GateMath.sigmoid(g.get(ia + hh) + bias[i + hh]);
                double o = GateMath.sigmoid(g.get(ia + 2 * hh) + bias[i + 2 * hh]);
                double in = GateMath.sigmoid(g.get(ia + 3 * hh) + bias[i + 3 * hh]);
                double cPrev = cPrevOffset < 0 ? 0.0 : c.get(ps + j);
                double cRaw = f * cPrev + in * a;
                double t = GateMath.tanh(cRaw);
                g.put(ia, a);
                g.put(ia + hh, f);
                g.put(ia + 2 * hh, o);
                g.put(ia + 3 * hh, in);
                c.put(cs + j, (m * cRaw));
                if (tc != null) {
                    tc.put(ts + j, t);
                }
                h.put(hs + j, (m * o * t));
                if (r != null) {
                    r.put((int) resultOffset + b * exampleStride + j * unitStride, m * o * t);
                }
            }
        }
    }

    /** dL/dc of every example's cell, carried from one backward step to the previous one. */
    private double[] carried = new double[0];

    private double[] carry(int batch, int hidden) {
        if (carried.length < batch * hidden) {
            carried = new double[batch * hidden];
        }
        return carried;
    }

    @Override
    public void clearCarry(int batch, int hidden) {
        Arrays.fill(carry(batch, hidden), 0, batch * hidden, 0.0);
    }

    @Override
    public void backward(int batch, int hidden, Scratch gates, long gateOffset, int gateStride, double[] mask,
            int maskOffset, Scratch cell, long cPrevOffset, Scratch tanhCell, long tanhCellOffset,
            Scratch dOut, long dOutOffset, Scratch dGates, long dGateOffset, double[] biasGrad, int biasOffset,
            boolean carryRecurrent) {
        if (carryRecurrent) {
            throw new IllegalStateException("the recurrent product is the caller's here");
        }
        double[] carry = carry(batch, hidden);
        DoubleBuffer g = gates.doubleBuffer;
        DoubleBuffer c = cell.doubleBuffer;
        DoubleBuffer tc = tanhCell.doubleBuffer;
        DoubleBuffer dh = dOut.doubleBuffer;
        DoubleBuffer dg = dGates.doubleBuffer;
        int hh = hidden;
        for (int b = 0; b < batch; b++) {
            double m = mask == null ? 1.0 : mask[maskOffset + b];
            int state = b * hh;
            int drow = (int) dGateOffset + b * gateStride;
            if (m == 0.0) {
                for (int j = 0; j < 4 * hh; j++) {
                    dg.put(drow + j, 0.0);
                }
                for (int j = 0; j < hh; j++) {
                    carry[state + j] = 0.0;
                }
                continue;
            }
            int row = (int) gateOffset + b * gateStride;
            int ps = (int) cPrevOffset + state;
            int ts = (int) tanhCellOffset + state;
            int ds = (int) dOutOffset + state;
            for (int j = 0; j < hh; j++) {
                int ia = row + j;
                double a = g.get(ia);
                double f = g.get(ia + hh);
                double o = g.get(ia + 2 * hh);
                double in = g.get(ia + 3 * hh);
                double t = tc.get(ts + j);
                double cPrev = cPrevOffset < 0 ? 0.0 : c.get(ps + j);
                double dhm = m * dh.get(ds + j);
                double dc = dhm * o * (1.0 - t * t) + m * carry[state + j];
                double da = dc * in * (1.0 - a * a);
                double df = dc * cPrev * f * (1.0 - f);
                double dO = dhm * t * o * (1.0 - o);
                double di = dc * a * in * (1.0 - in);
                carry[state + j] = dc * f;
                int id = drow + j;
                dg.put(id, da);
                dg.put(id + hh, df);
                dg.put(id + 2 * hh, dO);
                dg.put(id + 3 * hh, di);
                int i = biasOffset + j;
                biasGrad[i] += da;
                biasGrad[i + hh] += df;
                biasGrad[i + 2 * hh] += dO;
                biasGrad[i + 3 * hh] += di;
            }
        }
    }
}
