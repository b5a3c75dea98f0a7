package dev.imdbstream.model.cpu;

import java.nio.FloatBuffer;
import java.util.Map;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.AdamUpdater;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.Adam;

/**
 * ND4J's {@link Adam}, same configuration, same state (M then V in the view, so a network's updater state moves
 * between the two unchanged) and same arithmetic, with the step computed in one pass over float arrays on the heap
 * that the JIT vectorises. ND4J's native {@code adam_updater} op takes ten times longer on one thread
 * ({@code bin/jmh-benchmark.sh OptimiserStep}), and the notebook's million embedding parameters go through it at every
 * step. Arrays the pass cannot read directly (another backend than the CPU, doubles, strided views) go to ND4J's op.
 */
public class FusedAdam extends Adam {

    /** For Jackson (a network's configuration JSON names this class). */
    public FusedAdam() {
    }

    public FusedAdam(double learningRate, double beta1, double beta2, double epsilon) {
        super(learningRate, beta1, beta2, epsilon);
    }

    @Override
    public GradientUpdater instantiate(INDArray viewArray, boolean initializeViewArray) {
        // As Adam.instantiate: the view flattened, the gradient half its length.
        Updater u = new Updater(this);
        INDArray flat = viewArray.reshape(viewArray.length());
        u.setStateViewArray(flat, new long[] {flat.length() / 2}, flat.ordering(), initializeViewArray);
        return u;
    }

    @Override
    public GradientUpdater instantiate(Map<String, INDArray> updaterState, boolean initializeStateArrays) {
        Updater u = new Updater(this);
        u.setState(updaterState, initializeStateArrays);
        return u;
    }

    @Override
    public FusedAdam clone() {
        FusedAdam copy = new FusedAdam(getLearningRate(), getBeta1(), getBeta2(), getEpsilon());
        copy.setLearningRateSchedule(getLearningRateSchedule() == null ? null : getLearningRateSchedule().clone());
        return copy;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FusedAdam && super.equals(o);
    }

    @Override
    public int hashCode() {
        return 31 * super.hashCode() + 1;
    }

    @Override
    protected boolean canEqual(Object other) {
        return other instanceof FusedAdam;
    }

    @Override
    public String toString() {
        return "Fused" + super.toString();
    }

    /** {@link AdamUpdater} with the fused pass; the state handling is ND4J's. */
    static final class Updater extends AdamUpdater {

        /** Elements per chunk: the chunk's gradient, M and V (48 kB) stay in the core's L1/L2 caches. */
        private static final int CHUNK = 4096;

        private final float[] g = new float[CHUNK];
        private final float[] m = new float[CHUNK];
        private final float[] v = new float[CHUNK];

        Updater(Adam config) {
            super(config);
        }

        @Override
        public void applyUpdater(INDArray gradient, int iteration, int epoch) {
            if (!applyFused(gradient, iteration, epoch)) {
                super.applyUpdater(gradient, iteration, epoch);
            }
        }

        /** The fused step, if the arrays allow it; false (nothing changed) if not. */
        boolean applyFused(INDArray gradient, int iteration, int epoch) {
            INDArray mState = getM();
            INDArray vState = getV();
            Scratch gs = usable(gradient);
            Scratch ms = usable(mState);
            Scratch vs = usable(vState);
            if (mState == null || vState == null || gs == null || ms == null || vs == null
                    || gradient.length() != mState.length() || gradient.length() != vState.length()
                    || !ordered(gradient) || !ordered(mState) || !ordered(vState)) {
                return false;
            }
            Adam c = getConfig();
            step(gs.floatBuffer, ms.floatBuffer, vs.floatBuffer, (int) gradient.length(),
                    c.getLearningRate(iteration, epoch), c.getBeta1(), c.getBeta2(), c.getEpsilon(), iteration);
            return true;
        }

        /**
         * Whether the array's elements run through memory in its c order: element i of the buffer is element i of
         * the flattened view (a vector with unit stride; DL4J's gradient and state views are such vectors).
         */
        private static boolean ordered(INDArray a) {
            return a.rank() <= 2 && (a.rank() == 0 || a.isVector() || a.length() == 1) && a.elementWiseStride() == 1;
        }

        private static Scratch usable(INDArray a) {
            if (!Scratch.CPU_BACKEND || a == null || a.dataType() != DataType.FLOAT || a.length() > Integer.MAX_VALUE) {
                return null;
            }
            return Scratch.wrapDense(a);
        }

        /**
         * libnd4j's {@code adamUpdater} in float: {@code m = b1 m + (1 - b1) g}, {@code v = b2 v + (1 - b2) g^2},
         * update {@code = lr sqrt(1 - b2^t) / (1 - b1^t) m / (sqrt(v) + eps)} with {@code t = iteration + 1},
         * written into the gradient.
         */
        void step(FloatBuffer grad, FloatBuffer mBuf, FloatBuffer vBuf, int n, double lr, double beta1, double beta2,
                double epsilon, int iteration) {
            float b1 = (float) beta1;
            float b2 = (float) beta2;
            float eps = (float) epsilon;
            float b1t = (float) Math.pow(b1, iteration + 1);
            float b2t = (float) Math.pow(b2, iteration + 1);
            float alpha = (float) lr * (float) Math.sqrt(1f - b2t) / (1f - b1t);
            if (Float.isNaN(alpha) || Float.isInfinite(alpha) || alpha == 0f) {
                alpha = eps;
            }
            float c1 = 1f - b1;
            float c2 = 1f - b2;
            for (int start = 0; start < n; start += CHUNK) {
                int len = Math.min(CHUNK, n - start);
                grad.get(start, g, 0, len);
                mBuf.get(start, m, 0, len);
                vBuf.get(start, v, 0, len);
                for (int i = 0; i < len; i++) {
                    float gi = g[i];
                    float mi = b1 * m[i] + gi * c1;
                    float vi = b2 * v[i] + gi * gi * c2;
                    m[i] = mi;
                    v[i] = vi;
                    g[i] = mi * alpha / ((float) Math.sqrt(vi) + eps);
                }
                grad.put(start, g, 0, len);
                mBuf.put(start, m, 0, len);
                vBuf.put(start, v, 0, len);
            }
        }
    }
}
