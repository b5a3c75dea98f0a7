package dev.imdbstream.model.cpu;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.nn.weights.WeightInitUtil;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Parameters of {@link FastAttentionPooling}, laid out exactly as those of the SameDiff {@code AttentionPooling}:
 * {@code W [n, n]}, {@code u [n, 1]}, {@code b [1, n]} in this order, each 'c'-order, and initialised the same way
 * (W then u Glorot-uniform with fans {@code n, n}, drawing the same random numbers; b zero), so that a parameter
 * vector moves between the two layers unchanged.
 */
public final class AttentionParamInitializer extends FixedKeysParamInitializer {

    public static final String WEIGHT = "W";
    public static final String CONTEXT = "u";
    public static final String BIAS = "b";

    private static final List<String> KEYS = List.of(WEIGHT, CONTEXT, BIAS);
    private static final AttentionParamInitializer INSTANCE = new AttentionParamInitializer();

    private AttentionParamInitializer() {
        super(KEYS, List.of(WEIGHT, CONTEXT), List.of(BIAS));
    }

    public static AttentionParamInitializer getInstance() {
        return INSTANCE;
    }

    @Override
    public long numParams(Layer layer) {
        long n = ((FastAttentionPooling) layer).getNIn();
        return n * n + 2 * n;
    }

    @Override
    public Map<String, INDArray> init(NeuralNetConfiguration conf, INDArray paramsView, boolean initializeParams) {
        Map<String, INDArray> params = split(conf, paramsView);
        if (initializeParams) {
            long n = ((FastAttentionPooling) conf.getLayer()).getNIn();
            INDArray w = params.get(WEIGHT);
            WeightInitUtil.initWeights(n, n, w.shape(), WeightInit.XAVIER_UNIFORM, null, 'c', w);
            params.get(BIAS).assign(0);
            // Keras' glorot_uniform treats a vector of n as fan_in = fan_out = n: the same limit as W's.
            INDArray u = params.get(CONTEXT);
            WeightInitUtil.initWeights(n, n, u.shape(), WeightInit.XAVIER_UNIFORM, null, 'c', u);
        }
        for (String key : KEYS) {
            conf.addVariable(key);
        }
        return params;
    }

    @Override
    public Map<String, INDArray> getGradientsFromFlattened(NeuralNetConfiguration conf, INDArray gradientView) {
        return split(conf, gradientView);
    }

    private Map<String, INDArray> split(NeuralNetConfiguration conf, INDArray view) {
        checkLength(conf, view);
        long n = ((FastAttentionPooling) conf.getLayer()).getNIn();
        INDArray flat = view.reshape(view.length());
        Map<String, INDArray> out = new LinkedHashMap<>();
        out.put(WEIGHT, flat.get(NDArrayIndex.interval(0, n * n)).reshape('c', n, n));
        out.put(CONTEXT, flat.get(NDArrayIndex.interval(n * n, n * n + n)).reshape('c', n, 1));
        out.put(BIAS, flat.get(NDArrayIndex.interval(n * n + n, n * n + 2 * n)).reshape('c', 1, n));
        return Collections.synchronizedMap(out);
    }
}
