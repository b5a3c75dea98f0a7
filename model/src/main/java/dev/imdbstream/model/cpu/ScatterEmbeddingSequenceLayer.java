package dev.imdbstream.model.cpu;

import java.nio.FloatBuffer;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.feedforward.embedding.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The run-time layer of {@link ScatterEmbeddingSequence}: DL4J's, with the weight gradient accumulated directly,
 * {@code dW[id(b,t), :] += mask[b,t] * epsilon[b, :, t]}, one embedding dimension at a time so that the writes stay in
 * one column of {@code dW} (it is stored 'f': a column is the vocabulary) and the reads run along the sequence.
 */
public class ScatterEmbeddingSequenceLayer extends EmbeddingSequenceLayer {

    /** Backward passes computed here rather than by the stock layer (for the tests). */
    long scattered;

    public ScatterEmbeddingSequenceLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer c = layerConf();
        INDArray weightGradient = gradientViews.get(DefaultParamInitializer.WEIGHT_KEY);
        Scratch dW = weightGradient == null ? null : Scratch.wrapDense(weightGradient);
        if (!Scratch.CPU_BACKEND || c.hasBias() || !(c.getActivationFn() instanceof ActivationIdentity) || dW == null
                || dW.floatBuffer == null || epsilon.dataType() != DataType.FLOAT || epsilon.rank() != 3
                || weightGradient.rank() != 2) {
            return super.backpropGradient(epsilon, workspaceMgr);
        }
        assertInputSet(true);
        int batch = (int) input.size(0);
        int length = (int) input.size(1);
        int vocab = (int) weightGradient.size(0);
        int dim = (int) weightGradient.size(1);
        int[] ids = (input.isView() || input.ordering() != 'c' ? input.dup('c') : input).data().asInt();
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] < 0 || ids[i] >= vocab) {
                throw new IllegalArgumentException("token id " + ids[i] + " at " + i + " is outside the embedding's "
                        + vocab + " rows");
            }
        }
        float[] mask = maskArray == null ? null
                : maskArray.castTo(DataType.FLOAT).dup('c').reshape(batch, length).data().asFloat();
        // epsilon [B, dim, T] (NCW) or [B, T, dim] (NWC), read through its strides.
        INDArray eps = Scratch.directView(epsilon) != null ? epsilon : epsilon.dup('c');
        FloatBuffer e = (FloatBuffer) Scratch.directView(eps);
        boolean ncw = c.getOutputFormat() != RNNFormat.NWC;
        long sb = eps.stride(0);
        long sc = ncw ? eps.stride(1) : eps.stride(2);
        long st = ncw ? eps.stride(2) : eps.stride(1);
        long rowStride = weightGradient.stride(0);
        long colStride = weightGradient.stride(1);

        weightGradient.assign(0);
        FloatBuffer g = dW.floatBuffer;
        for (int d = 0; d < dim; d++) {
            long col = d * colStride;
            for (int b = 0; b < batch; b++) {
                long from = b * sb + d * sc;
                int row = b * length;
                for (int t = 0; t < length; t++) {
                    float v = e.get((int) (from + t * st));
                    if (mask != null) {
                        v *= mask[row + t];
                    }
                    if (v != 0f) {
                        int at = (int) (col + ids[row + t] * rowStride);
                        g.put(at, g.get(at) + v);
                    }
                }
            }
        }
        scattered++;
        Gradient ret = new DefaultGradient();
        ret.gradientForVariable().put(DefaultParamInitializer.WEIGHT_KEY, weightGradient);
        return new Pair<>(ret, null);
    }
}
