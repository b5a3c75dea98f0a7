package dev.imdbstream.model.lstm;

import java.nio.Buffer;
import java.nio.FloatBuffer;
import java.util.Arrays;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

import dev.imdbstream.model.cpu.FloatMath;
import dev.imdbstream.model.cpu.Scratch;
import dev.imdbstream.model.cpu.VectorGemm;
import dev.imdbstream.model.cpu.VectorMath;

/**
 * {@link GateMath} over float buffers with the Vector API: the default where the JVM has it ({@link
 * dev.imdbstream.model.cpu.RowsGemm#AVAILABLE}), else {@link FloatGateMath}. A whole step is moved between the
 * direct buffers and heap arrays at once (the state rows of a step are one run of memory; the gate rows one copy per
 * example), and the arithmetic runs on the CPU's widest vectors, with {@link FloatMath} for the last {@code hidden %
 * lanes} units. It also computes the recurrent products, when given the weights ({@link #takeRecurrentWeights}), with
 * {@link VectorGemm} on the heap copies: the previous output is already there, and the product lands where the gate
 * math reads it, so neither is copied through the direct buffers as a BLAS product's operands are.
 */
final class VectorGateMath implements GateMath {

    private static final VectorSpecies<Float> S = VectorMath.SPECIES;

    /** One step's gate rows, {@code [batch, 4H]}: pre-activations, then activations or their gradients. */
    private float[] z = new float[0];
    private float[] cPrev = new float[0];
    private float[] cell = new float[0];
    private float[] tanhCell = new float[0];
    private float[] out = new float[0];
    private float[] dOut = new float[0];
    private float[] bias = new float[0];
    private float[] biasSums = new float[0];

    /** dL/dc of every example's cell, carried from one backward step to the previous one. */
    private float[] carried = new float[0];
    /** dL/dh of every example's previous output, {@code dGates x RW^T}, carried likewise (with recurrent weights). */
    private float[] carriedOut = new float[0];
    /** RW, {@code [H, 4H]}, and its transpose, row-major; null until {@link #takeRecurrentWeights}. */
    private float[] recurrent;
    private float[] recurrentT;

    private void size(int batch, int hidden) {
        int n = batch * hidden;
        if (cell.length < n) {
            z = new float[4 * n];
            cPrev = new float[n];
            cell = new float[n];
            tanhCell = new float[n];
            out = new float[n];
            dOut = new float[n];
            carried = Arrays.copyOf(carried, n);
            carriedOut = Arrays.copyOf(carriedOut, n);
        }
        if (bias.length != 4 * hidden) {
            bias = new float[4 * hidden];
            biasSums = new float[4 * hidden];
        }
    }

    @Override
    public void clearCarry(int batch, int hidden) {
        size(batch, hidden);
        Arrays.fill(carried, 0, batch * hidden, 0f);
        Arrays.fill(carriedOut, 0, batch * hidden, 0f);
    }

    @Override
    public boolean takeRecurrentWeights(Scratch weights, long offset, int hidden) {
        int g4 = 4 * hidden;
        if (recurrent == null || recurrent.length != hidden * g4) {
            recurrent = new float[hidden * g4];
            recurrentT = new float[hidden * g4];
        }
        weights.floatBuffer.get((int) offset, recurrent, 0, hidden * g4);
        for (int k = 0; k < hidden; k++) {
            for (int j = 0; j < g4; j++) {
                recurrentT[j * hidden + k] = recurrent[k * g4 + j];
            }
        }
        return true;
    }

    private static float maskOf(double[] mask, int maskOffset, int b) {
        return mask == null ? 1f : (float) mask[maskOffset + b];
    }

    @Override
    public void forward(int batch, int hidden, Scratch gates, long gateOffset, int gateStride, double[] biasIn,
            int biasOffset, double[] mask, int maskOffset, Scratch cellState, long cPrevOffset, long cOffset,
            Scratch tanhCellState, long tanhCellOffset, Scratch output, long outOffset, Buffer result,
            long resultOffset, int exampleStride, int unitStride, boolean addRecurrent) {
        size(batch, hidden);
        int h = hidden;
        int g4 = 4 * h;
        int n = batch * h;
        for (int k = 0; k < g4; k++) {
            bias[k] = (float) biasIn[biasOffset + k];
        }
        FloatBuffer g = gates.floatBuffer;
        boolean training = tanhCellState != null;
        for (int b = 0; b < batch; b++) {
            if (maskOf(mask, maskOffset, b) != 0f) {
                g.get((int) gateOffset + b * gateStride, z, b * g4, g4);
            }
        }
        if (addRecurrent) {
            // out still holds the previous step's output.
            VectorGemm.multiplyAdd(out, recurrent, z, batch, h, g4);
        }
        readCPrev(cellState.floatBuffer, cPrevOffset, n);
        for (int b = 0; b < batch; b++) {
            int st = b * h;
            if (maskOf(mask, maskOffset, b) == 0f) {
                Arrays.fill(cell, st, st + h, 0f);
            } else {
                activate(b * g4, h);
                cellState(b * g4, st, h);
            }
        }
        VectorMath.tanh(cell, 0, null, 0, tanhCell, 0, n);
        for (int b = 0; b < batch; b++) {
            float m = maskOf(mask, maskOffset, b);
            if (m == 0f) {
                Arrays.fill(out, b * h, b * h + h, 0f);
            } else {
                outputAndMask(b * g4, b * h, m, h);
            }
        }
        cellState.floatBuffer.put((int) cOffset, cell, 0, n);
        output.floatBuffer.put((int) outOffset, out, 0, n);
        if (training) {
            // Only the backward pass reads the activations back.
            tanhCellState.floatBuffer.put((int) tanhCellOffset, tanhCell, 0, n);
            for (int b = 0; b < batch; b++) {
                if (maskOf(mask, maskOffset, b) != 0f) {
                    g.put((int) gateOffset + b * gateStride, z, b * g4, g4);
                }
            }
        }
        if (result != null) {
            writeResult((FloatBuffer) result, (int) resultOffset, batch, h, exampleStride, unitStride);
        }
    }

    // Vectors stay within one method: see VectorMath.

    /** The activations of one example's gate row {@code z[za, za + 4H)}, in place: tanh for the first H, then sigmoid. */
    private void activate(int za, int h) {
        VectorMath.tanh(z, za, bias, 0, z, za, h);
        VectorMath.sigmoid(z, za + h, bias, h, z, za + h, 3 * h);
    }

    /** From one example's activations, its cell state (before tanh and the mask). */
    private void cellState(int za, int st, int h) {
        int bound = S.loopBound(h);
        int j = 0;
        for (; j < bound; j += S.length()) {
            gate(za + 3 * h, j).fma(gate(za, j), gate(za + h, j).mul(FloatVector.fromArray(S, cPrev, st + j)))
                    .intoArray(cell, st + j);
        }
        for (; j < h; j++) {
            cell[st + j] = z[za + 3 * h + j] * z[za + j] + z[za + h + j] * cPrev[st + j];
        }
    }

    /** One example's output, {@code m * o * tanh(c)}, and its masked cell state {@code m * c}. */
    private void outputAndMask(int za, int st, float m, int h) {
        int bound = S.loopBound(h);
        int j = 0;
        for (; j < bound; j += S.length()) {
            gate(za + 2 * h, j).mul(FloatVector.fromArray(S, tanhCell, st + j)).mul(m).intoArray(out, st + j);
            FloatVector.fromArray(S, cell, st + j).mul(m).intoArray(cell, st + j);
        }
        for (; j < h; j++) {
            out[st + j] = m * z[za + 2 * h + j] * tanhCell[st + j];
            cell[st + j] = m * cell[st + j];
        }
    }

    private FloatVector gate(int rowOffset, int j) {
        return FloatVector.fromArray(S, z, rowOffset + j);
    }

    /** The previous step's cell states; zeros at the first step ({@code cPrevOffset < 0}). */
    private void readCPrev(FloatBuffer cellState, long cPrevOffset, int n) {
        if (cPrevOffset < 0) {
            Arrays.fill(cPrev, 0, n, 0f);
        } else {
            cellState.get((int) cPrevOffset, cPrev, 0, n);
        }
    }

    private void writeResult(FloatBuffer result, int offset, int batch, int h, int exampleStride, int unitStride) {
        for (int b = 0; b < batch; b++) {
            int at = offset + b * exampleStride;
            if (unitStride == 1) {
                result.put(at, out, b * h, h);
            } else {
                for (int j = 0; j < h; j++) {
                    result.put(at + j * unitStride, out[b * h + j]);
                }
            }
        }
    }

    @Override
    public void backward(int batch, int hidden, Scratch gates, long gateOffset, int gateStride, double[] mask,
            int maskOffset, Scratch cellState, long cPrevOffset, Scratch tanhCellState, long tanhCellOffset,
            Scratch dOutState, long dOutOffset, Scratch dGates, long dGateOffset, double[] biasGrad, int biasOffset,
            boolean carryRecurrent) {
        size(batch, hidden);
        int h = hidden;
        int g4 = 4 * h;
        int n = batch * h;
        FloatBuffer g = gates.floatBuffer;
        for (int b = 0; b < batch; b++) {
            if (maskOf(mask, maskOffset, b) != 0f) {
                g.get((int) gateOffset + b * gateStride, z, b * g4, g4);
            }
        }
        tanhCellState.floatBuffer.get((int) tanhCellOffset, tanhCell, 0, n);
        dOutState.floatBuffer.get((int) dOutOffset, dOut, 0, n);
        addCarriedOut(n);
        readCPrev(cellState.floatBuffer, cPrevOffset, n);
        // This step's bias gradients, summed over the batch in float and added to the double sums once per step.
        Arrays.fill(biasSums, 0f);
        int bound = S.loopBound(h);
        for (int b = 0; b < batch; b++) {
            float m = maskOf(mask, maskOffset, b);
            int st = b * h;
            int za = b * g4;
            if (m == 0f) {
                // A padded example's gate gradients are zero, written below and in the recurrent product.
                Arrays.fill(carried, st, st + h, 0f);
                Arrays.fill(z, za, za + g4, 0f);
                continue;
            }
            int j = 0;
            // The gradients replace the activations in z: every lane is read before it is written.
            for (; j < bound; j += S.length()) {
                FloatVector a = gate(za, j);
                FloatVector f = gate(za + h, j);
                FloatVector o = gate(za + 2 * h, j);
                FloatVector in = gate(za + 3 * h, j);
                FloatVector t = FloatVector.fromArray(S, tanhCell, st + j);
                FloatVector dhm = FloatVector.fromArray(S, dOut, st + j).mul(m);
                FloatVector dc = dhm.mul(o).mul(oneMinusSquare(t))
                        .add(FloatVector.fromArray(S, carried, st + j).mul(m));
                FloatVector dA = dc.mul(in).mul(oneMinusSquare(a));
                FloatVector dF = dc.mul(FloatVector.fromArray(S, cPrev, st + j)).mul(f.mul(oneMinus(f)));
                FloatVector dO = dhm.mul(t).mul(o.mul(oneMinus(o)));
                FloatVector dI = dc.mul(a).mul(in.mul(oneMinus(in)));
                dc.mul(f).intoArray(carried, st + j);
                dA.intoArray(z, za + j);
                dF.intoArray(z, za + h + j);
                dO.intoArray(z, za + 2 * h + j);
                dI.intoArray(z, za + 3 * h + j);
                addToSums(dA, j);
                addToSums(dF, h + j);
                addToSums(dO, 2 * h + j);
                addToSums(dI, 3 * h + j);
            }
            for (; j < h; j++) {
                float a = z[za + j];
                float f = z[za + h + j];
                float o = z[za + 2 * h + j];
                float in = z[za + 3 * h + j];
                float t = tanhCell[st + j];
                float dhm = m * dOut[st + j];
                float dc = dhm * o * (1f - t * t) + m * carried[st + j];
                z[za + j] = dc * in * (1f - a * a);
                z[za + h + j] = dc * cPrev[st + j] * f * (1f - f);
                z[za + 2 * h + j] = dhm * t * o * (1f - o);
                z[za + 3 * h + j] = dc * a * in * (1f - in);
                carried[st + j] = dc * f;
                biasSums[j] += z[za + j];
                biasSums[h + j] += z[za + h + j];
                biasSums[2 * h + j] += z[za + 2 * h + j];
                biasSums[3 * h + j] += z[za + 3 * h + j];
            }
        }
        FloatBuffer dg = dGates.floatBuffer;
        for (int b = 0; b < batch; b++) {
            dg.put((int) dGateOffset + b * gateStride, z, b * g4, g4);
        }
        Arrays.fill(carriedOut, 0, n, 0f);
        if (carryRecurrent) {
            VectorGemm.multiplyAdd(z, recurrentT, carriedOut, batch, g4, h);
        }
        for (int k = 0; k < g4; k++) {
            biasGrad[biasOffset + k] += biasSums[k];
        }
    }

    private void addCarriedOut(int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += S.length()) {
            FloatVector.fromArray(S, dOut, i).add(FloatVector.fromArray(S, carriedOut, i)).intoArray(dOut, i);
        }
        for (; i < n; i++) {
            dOut[i] += carriedOut[i];
        }
    }

    private static FloatVector oneMinus(FloatVector x) {
        return FloatVector.broadcast(S, 1f).sub(x);
    }

    private static FloatVector oneMinusSquare(FloatVector x) {
        return x.neg().fma(x, FloatVector.broadcast(S, 1f));
    }

    private void addToSums(FloatVector v, int k) {
        FloatVector.fromArray(S, biasSums, k).add(v).intoArray(biasSums, k);
    }
}
