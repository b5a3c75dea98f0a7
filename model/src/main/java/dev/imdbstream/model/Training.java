package dev.imdbstream.model;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.DataSet;

/** One optimiser step on a mini-batch, reporting the loss the way Keras does (without the decay term). */
public final class Training {

    private Training() {
    }

    /**
     * Fits one mini-batch (one AdamW step, training mode: dropout on, batch statistics in BatchNormalization).
     *
     * @return the batch's mean binary cross-entropy before the step: DL4J's score minus its regularization term,
     *         which it adds for weight decay although decoupled weight decay is not part of the loss
     */
    public static double fit(MultiLayerNetwork net, DataSet batch) {
        // DL4J scores with the parameters before the update, so the term must be taken before fit() too.
        double regularization = net.calcRegularizationScore(true);
        net.fit(batch);
        return net.score() - regularization;
    }
}
