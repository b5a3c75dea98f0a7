package dev.imdbstream.model.lstm;

import java.nio.FloatBuffer;

/** {@link GateMath} over float buffers; arithmetic in double, stored as float. */
final class FloatGateMath implements GateMath {

    @Override
    public void forward(int batch, int hidden, Scratch gates, long gateOffset, int gateStride, double[] bias,
            int biasOffset, double[] mask, int maskOffset, Scratch cell, long cPrevOffset, long cOffset,
            Scratch tanhCell, long tanhCellOffset, Scratch out, long outOffset) {
        FloatBuffer g = gates.floatBuffer;
        FloatBuffer c = cell.floatBuffer;
        FloatBuffer tc = tanhCell == null ? null : tanhCell.floatBuffer;
        FloatBuffer h = out.floatBuffer;
        int hh = hidden;
        for (int b = 0; b < batch; b++) {
            double m = mask == null ? 1.0 : mask[maskOffset + b];
            int state = b * hh;
            int cs = (int) cOffset + state;
            int hs = (int) outOffset + state;
            int ts = (int) tanhCellOffset + state;
            if (m == 0.0) {
                for (int j = 0; j < hh; j++) {
                    c.put(cs + j, 0f);
                    h.put(hs + j, 0f);
                    if (tc != null) {
                        tc.put(ts + j, 0f);
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
                g.put(ia, (float) a);
                g.put(ia + hh, (float) f);
                g.put(ia + 2 * hh, (float) o);
                g.put(ia + 3 * hh, (float) in);
                c.put(cs + j, (float) (m * cRaw));
                if (tc != null) {
                    tc.put(ts + j, (float) t);
                }
                h.put(hs + j, (float) (m * o * t));
            }
        }
    }

    @Override
    public void backward(int batch, int hidden, Scratch gates, long gateOffset, int gateStride, double[] mask,
            int maskOffset, Scratch cell, long cPrevOffset, Scratch tanhCell, long tanhCellOffset,
            Scratch dOut, long dOutOffset, Scratch dGates, long dGateOffset, double[] carry,
            double[] biasGrad, int biasOffset) {
        FloatBuffer g = gates.floatBuffer;
        FloatBuffer c = cell.floatBuffer;
        FloatBuffer tc = tanhCell.floatBuffer;
        FloatBuffer dh = dOut.floatBuffer;
        FloatBuffer dg = dGates.floatBuffer;
        int hh = hidden;
        for (int b = 0; b < batch; b++) {
            double m = mask == null ? 1.0 : mask[maskOffset + b];
            int state = b * hh;
            int drow = (int) dGateOffset + b * gateStride;
            if (m == 0.0) {
                for (int j = 0; j < 4 * hh; j++) {
                    dg.put(drow + j, 0f);
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
                dg.put(id, (float) da);
                dg.put(id + hh, (float) df);
                dg.put(id + 2 * hh, (float) dO);
                dg.put(id + 3 * hh, (float) di);
                int i = biasOffset + j;
                biasGrad[i] += da;
                biasGrad[i + hh] += df;
                biasGrad[i + 2 * hh] += dO;
                biasGrad[i + 3 * hh] += di;
            }
        }
    }
}
