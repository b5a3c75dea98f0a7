package dev.imdbstream.model;

import java.util.List;

import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.regularization.Regularization;

/**
 * The one place that turns an {@link LstmImpl} into a bidirectional LSTM layer configuration: input
 * {@code [batch, nIn, time]} with a time mask, output {@code [batch, 2 * units, time]} (forward then backward,
 * concatenated), the parameter layout of DL4J's {@code Bidirectional(CONCAT, LSTM)}.
 * <p>
 * Every implementation must honour the features mask (padding = 0) that reaches it through
 * {@code feedForwardMaskArray}: state and output are zero at masked steps, so a review gives the same output whatever
 * padding precedes it ({@code MaskingTest}), and must pass the mask on to the layers above.
 */
public final class BiLstmLayers {

    private BiLstmLayers() {
    }

    /**
     * @param regularization applied once to weights and biases of both directions (decoupled weight decay)
     */
    public static Layer bidirectional(LstmImpl impl, int nIn, int units, List<Regularization> regularization) {
        return switch (impl) {
            case STOCK -> stock(nIn, units, regularization);
            // The drop-in layer lives in dev.imdbstream.model.lstm (branch `lstm`); it plugs in here.
            case FAST -> throw new UnsupportedOperationException(
                    "LstmImpl.FAST is not available in this build (see package dev.imdbstream.model.lstm)");
        };
    }

    /**
     * DL4J's stock layer (in {@link MaskedBidirectional}, as the stock wrapper drops the mask), initialised like Keras' LSTM where DL4J can: Glorot-uniform kernels (Keras uses an
     * orthogonal recurrent kernel, which DL4J lacks), forget-gate bias 1 ({@code unit_forget_bias}), other biases 0.
     */
    private static Layer stock(int nIn, int units, List<Regularization> regularization) {
        LSTM.Builder lstm = new LSTM.Builder()
                .nIn(nIn)
                .nOut(units)
                .activation(Activation.TANH)
                .gateActivationFunction(Activation.SIGMOID)
                .forgetGateBiasInit(1.0)
                .weightInit(WeightInit.XAVIER_UNIFORM)
                .weightInitRecurrent(WeightInit.XAVIER_UNIFORM);
        lstm.regularization(regularization);
        lstm.regularizationBias(regularization);
        return new MaskedBidirectional(lstm.build());
    }
}
