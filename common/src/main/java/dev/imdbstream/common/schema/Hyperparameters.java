package dev.imdbstream.common.schema;

/**
 * The training protocol of one run. {@link #notebook()} is the notebook's protocol, the default.
 *
 * @param maxEpochs           upper bound of epochs (early stopping usually ends sooner)
 * @param batchSize           mini-batch size
 * @param learningRate        AdamW learning rate
 * @param weightDecay         AdamW decoupled weight decay (Keras' default 0.004)
 * @param patience            epochs without validation-loss improvement before stopping
 * @param trainableEmbeddings false freezes the embedding layer
 * @param validationSize      held-out training reviews used for validation (never the test set)
 * @param testSize            test reviews evaluated at the end (0 = all)
 * @param balancedSubsets     draw the training subset half positive, half negative (false: a plain random draw,
 *                            whose label ratio varies with the seed: 59/41 happened at 100 reviews)
 */
public record Hyperparameters(int maxEpochs, int batchSize, double learningRate, double weightDecay, int patience,
        boolean trainableEmbeddings, int validationSize, int testSize, boolean balancedSubsets) {

    public Hyperparameters {
        if (maxEpochs < 1 || batchSize < 1 || learningRate <= 0 || weightDecay < 0 || patience < 1
                || validationSize < 1 || testSize < 0) {
            throw new IllegalArgumentException("invalid hyperparameters: " + this);
        }
    }

    public static Hyperparameters notebook() {
        return new Hyperparameters(20, 32, 1e-4, 0.004, 5, true, 2_000, 0, false);
    }
}
