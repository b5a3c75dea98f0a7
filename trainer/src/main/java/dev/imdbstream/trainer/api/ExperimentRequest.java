package dev.imdbstream.trainer.api;

import java.util.List;

import dev.imdbstream.common.schema.Hyperparameters;

/**
 * Body of {@code POST /experiments}; every field is optional. Missing fields take the notebook's protocol:
 * sizes 100/500/1000, variants random and glove, seed 1, {@link Hyperparameters#notebook()}, the latest
 * data set on imdb.vocab and a generated experiment id.
 *
 * @param hyperparameters only the fields to change from the notebook's
 */
public record ExperimentRequest(String experimentId, String datasetId, List<Integer> sizes, List<String> variants,
        List<Long> seeds, HyperparameterOverrides hyperparameters) {

    /** Fields left null keep the notebook's value. */
    public record HyperparameterOverrides(Integer maxEpochs, Integer batchSize, Double learningRate,
            Double weightDecay, Integer patience, Boolean trainableEmbeddings, Integer validationSize,
            Integer testSize, Boolean balancedSubsets) {

        public Hyperparameters applyTo(Hyperparameters h) {
            return new Hyperparameters(
                    maxEpochs != null ? maxEpochs : h.maxEpochs(),
                    batchSize != null ? batchSize : h.batchSize(),
                    learningRate != null ? learningRate : h.learningRate(),
                    weightDecay != null ? weightDecay : h.weightDecay(),
                    patience != null ? patience : h.patience(),
                    trainableEmbeddings != null ? trainableEmbeddings : h.trainableEmbeddings(),
                    validationSize != null ? validationSize : h.validationSize(),
                    testSize != null ? testSize : h.testSize(),
                    balancedSubsets != null ? balancedSubsets : h.balancedSubsets());
        }
    }
}
