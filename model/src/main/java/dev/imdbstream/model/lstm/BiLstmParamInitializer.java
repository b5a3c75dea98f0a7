package dev.imdbstream.model.lstm;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.imdbstream.model.cpu.FixedKeysParamInitializer;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.params.BidirectionalParamInitializer;
import org.deeplearning4j.nn.params.LSTMParamInitializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Parameters of {@link BiLstm}: exactly those of the stock {@code Bidirectional(LSTM)}. The flattened
 * vector holds the forward LSTM's {@code W [nIn,4H], RW [H,4H], b [1,4H]} (each column-major, gates in
 * the stock order: block input, forget, output, input gate) followed by the backward LSTM's; the keys
 * carry the stock prefixes. Each half is laid out and initialised by the stock {@link
 * LSTMParamInitializer}, called in the same order as {@link BidirectionalParamInitializer} calls it, so
 * the same seed gives the same weights with either layer.
 */
public final class BiLstmParamInitializer extends FixedKeysParamInitializer {

    public static final String FORWARD_INPUT_WEIGHTS = forward(LSTMParamInitializer.INPUT_WEIGHT_KEY);
    public static final String FORWARD_RECURRENT_WEIGHTS = forward(LSTMParamInitializer.RECURRENT_WEIGHT_KEY);
    public static final String FORWARD_BIAS = forward(LSTMParamInitializer.BIAS_KEY);
    public static final String BACKWARD_INPUT_WEIGHTS = backward(LSTMParamInitializer.INPUT_WEIGHT_KEY);
    public static final String BACKWARD_RECURRENT_WEIGHTS = backward(LSTMParamInitializer.RECURRENT_WEIGHT_KEY);
    public static final String BACKWARD_BIAS = backward(LSTMParamInitializer.BIAS_KEY);

    private static final BiLstmParamInitializer INSTANCE = new BiLstmParamInitializer();

    public static BiLstmParamInitializer getInstance() {
        return INSTANCE;
    }

    private BiLstmParamInitializer() {
        super(List.of(FORWARD_INPUT_WEIGHTS, FORWARD_RECURRENT_WEIGHTS, FORWARD_BIAS, BACKWARD_INPUT_WEIGHTS,
                BACKWARD_RECURRENT_WEIGHTS, BACKWARD_BIAS),
                List.of(FORWARD_INPUT_WEIGHTS, FORWARD_RECURRENT_WEIGHTS, BACKWARD_INPUT_WEIGHTS,
                        BACKWARD_RECURRENT_WEIGHTS),
                List.of(FORWARD_BIAS, BACKWARD_BIAS));
    }

    @Override
    public long numParams(Layer layer) {
        BiLstm l = (BiLstm) layer;
        long h = l.getNOut();
        return 2 * (l.getNIn() * 4 * h + h * 4 * h + 4 * h);
    }

    @Override
    public Map<String, INDArray> init(NeuralNetConfiguration conf, INDArray paramsView, boolean initializeParams) {
        checkLength(conf, paramsView);
        INDArray[] halves = halves(paramsView);
        conf.clearVariables();
        NeuralNetConfiguration forward = directionConf(conf);
        NeuralNetConfiguration backward = directionConf(conf);
        LSTMParamInitializer lstm = LSTMParamInitializer.getInstance();
        Map<String, INDArray> fwd = lstm.init(forward, halves[0], initializeParams);
        Map<String, INDArray> bwd = lstm.init(backward, halves[1], initializeParams);
        List<String> variables = new ArrayList<>();
        forward.getVariables().forEach(v -> variables.add(forward(v)));
        backward.getVariables().forEach(v -> variables.add(backward(v)));
        conf.setVariables(variables);
        return Collections.synchronizedMap(prefixed(fwd, bwd));
    }

    @Override
    public Map<String, INDArray> getGradientsFromFlattened(NeuralNetConfiguration conf, INDArray gradientView) {
        checkLength(conf, gradientView);
        INDArray[] halves = halves(gradientView);
        LSTMParamInitializer lstm = LSTMParamInitializer.getInstance();
        return prefixed(lstm.getGradientsFromFlattened(directionConf(conf), halves[0]),
                lstm.getGradientsFromFlattened(directionConf(conf), halves[1]));
    }

    /** The same split as the stock Bidirectional initializer: a rank-1 view, forward half first. */
    private static INDArray[] halves(INDArray view) {
        long n = view.length();
        INDArray flat = view.reshape(n);
        return new INDArray[] {flat.get(NDArrayIndex.interval(0, n / 2)), flat.get(NDArrayIndex.interval(n / 2, n))};
    }

    private static NeuralNetConfiguration directionConf(NeuralNetConfiguration conf) {
        NeuralNetConfiguration copy = conf.clone();
        copy.setLayer(((BiLstm) conf.getLayer()).stockDirection());
        return copy;
    }

    private static Map<String, INDArray> prefixed(Map<String, INDArray> fwd, Map<String, INDArray> bwd) {
        Map<String, INDArray> out = new LinkedHashMap<>();
        fwd.forEach((k, v) -> out.put(forward(k), v));
        bwd.forEach((k, v) -> out.put(backward(k), v));
        return out;
    }

    /** The stock Bidirectional's key for a parameter of its forward layer. */
    private static String forward(String lstmKey) {
        return BidirectionalParamInitializer.FORWARD_PREFIX + lstmKey;
    }

    private static String backward(String lstmKey) {
        return BidirectionalParamInitializer.BACKWARD_PREFIX + lstmKey;
    }
}
