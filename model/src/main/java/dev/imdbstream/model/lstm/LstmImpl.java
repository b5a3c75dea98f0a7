package dev.imdbstream.model.lstm;

import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Which implementation computes the network's bidirectional LSTM. Both give layers with the same
 * parameters (keys, shapes, flattened order, initialisation from a seed) and the same outputs, so a
 * network's parameter vector, and its updater state, can be moved between a network built with one and
 * a network built with the other: {@code other.setParams(trained.params())}.
 */
public enum LstmImpl {

    /** DL4J's {@code Bidirectional(CONCAT, LSTM)}: runs everywhere, uses cuDNN on CUDA. */
    STOCK {
        @Override
        public Layer bidirectional(long nIn, long unitsPerDirection) {
            return new Bidirectional(Bidirectional.Mode.CONCAT, new LSTM.Builder()
                    .nIn(nIn)
                    .nOut(unitsPerDirection)
                    .activation(Activation.TANH)
                    .gateActivationFunction(Activation.SIGMOID)
                    .build());
        }
    },

    /** {@link BiLstm}: several times faster on the CPU backend; CPU only. */
    FAST {
        @Override
        public Layer bidirectional(long nIn, long unitsPerDirection) {
            return new BiLstm.Builder().nIn(nIn).nOut(unitsPerDirection).build();
        }
    };

    /**
     * A bidirectional LSTM layer, tanh cell and sigmoid gates, outputs of both directions concatenated:
     * {@code [B, nIn, T] -> [B, 2 * unitsPerDirection, T]}. Global settings of the network (weight init,
     * updater, regularisation) apply to it as to any layer.
     */
    public abstract Layer bidirectional(long nIn, long unitsPerDirection);

    /** {@link #FAST} on ND4J's CPU backend, {@link #STOCK} on any other (CUDA). */
    public static LstmImpl forCurrentBackend() {
        return Nd4j.getBackend().getClass().getSimpleName().startsWith("Cpu") ? FAST : STOCK;
    }
}
