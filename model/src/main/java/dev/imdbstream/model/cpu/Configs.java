package dev.imdbstream.model.cpu;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Collection;

import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What the layer configurations of this package and of {@code lstm} share: copying a configuration into one of a
 * related class (a subclass or its parent), field by field, and wiring the run-time layer a configuration creates.
 */
public final class Configs {

    private Configs() {
    }

    /**
     * Copies every instance field declared by {@code common} and its superclasses from {@code from} to {@code to}:
     * sizes, initialisation, updaters, regularization, dropout, name. Both must be instances of {@code common}.
     */
    static <T extends Layer> T copy(Layer from, T to, Class<? extends Layer> common) {
        if (!common.isInstance(from) || !common.isInstance(to)) {
            throw new IllegalArgumentException(from.getClass() + " and " + to.getClass() + " are not both " + common);
        }
        for (Class<?> c = common; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers())) {
                    continue;
                }
                try {
                    f.setAccessible(true);
                    f.set(to, f.get(from));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException("cannot copy " + f, e);
                }
            }
        }
        return to;
    }

    /**
     * Wires a new run-time layer as DL4J's own configurations do in {@code instantiate}: listeners, index, the
     * parameter view, the parameters {@code initializer} lays out in it (and draws, if {@code initializeParams}),
     * then the configuration.
     */
    public static <L extends org.deeplearning4j.nn.api.Layer> L wire(L layer, NeuralNetConfiguration conf,
            ParamInitializer initializer, Collection<TrainingListener> trainingListeners, int layerIndex,
            INDArray layerParamsView, boolean initializeParams) {
        layer.setListeners(trainingListeners);
        layer.setIndex(layerIndex);
        layer.setParamsViewArray(layerParamsView);
        layer.setParamTable(initializer.init(conf, layerParamsView, initializeParams));
        layer.setConf(conf);
        return layer;
    }
}
