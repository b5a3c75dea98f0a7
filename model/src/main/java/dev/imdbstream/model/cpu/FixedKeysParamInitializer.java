package dev.imdbstream.model.cpu;

import java.util.List;

import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A {@link ParamInitializer} whose parameter keys are the same for every layer it serves: the key lists, which keys
 * are weights and biases, and the check that a flattened view has the length of the layer's parameters.
 */
public abstract class FixedKeysParamInitializer implements ParamInitializer {

    private final List<String> paramKeys;
    private final List<String> weightKeys;
    private final List<String> biasKeys;

    /** {@code paramKeys} in the order of the flattened vector; each key a weight or a bias. */
    protected FixedKeysParamInitializer(List<String> paramKeys, List<String> weightKeys, List<String> biasKeys) {
        this.paramKeys = List.copyOf(paramKeys);
        this.weightKeys = List.copyOf(weightKeys);
        this.biasKeys = List.copyOf(biasKeys);
    }

    @Override
    public long numParams(NeuralNetConfiguration conf) {
        return numParams(conf.getLayer());
    }

    @Override
    public List<String> paramKeys(Layer layer) {
        return paramKeys;
    }

    @Override
    public List<String> weightKeys(Layer layer) {
        return weightKeys;
    }

    @Override
    public List<String> biasKeys(Layer layer) {
        return biasKeys;
    }

    @Override
    public boolean isWeightParam(Layer layer, String key) {
        return weightKeys.contains(key);
    }

    @Override
    public boolean isBiasParam(Layer layer, String key) {
        return biasKeys.contains(key);
    }

    /** Throws unless {@code view} holds exactly the parameters of {@code conf}'s layer. */
    protected void checkLength(NeuralNetConfiguration conf, INDArray view) {
        long expected = numParams(conf);
        if (view.length() != expected) {
            throw new IllegalStateException("Expected a view of length " + expected + ", got " + view.length());
        }
    }
}
