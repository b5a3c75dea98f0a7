package dev.imdbstream.model;

import java.util.List;
import java.util.Map;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.distribution.UniformDistribution;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayer;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToRnnPreProcessor;
import org.deeplearning4j.nn.conf.preprocessor.RnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.nd4j.linalg.learning.regularization.WeightDecay;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import dev.imdbstream.common.schema.EmbeddingMatrix;
import dev.imdbstream.model.cpu.BlasKernel;
import dev.imdbstream.model.cpu.FusedAdam;
import dev.imdbstream.model.cpu.ScatterEmbeddingSequence;
import dev.imdbstream.model.cpu.SequenceBatchNormalization;
import dev.imdbstream.model.cpu.SequenceDropout;

/**
 * Builds the notebook's network as a DL4J {@link MultiLayerNetwork}, layer by layer as in Keras:
 * <pre>
 *  0 Embedding(vocab, dim)              input [batch, time] token ids + time mask (padding = 0)
 *  1 Bidirectional LSTM(units), concat  [batch, 2*units, time]
 *  2 Dropout 0.5                       per time step: [batch*time, 2*units] (see below)
 *  3 BatchNormalization(2*units)        per time step
 *  4 AttentionPooling                   [batch, 2*units], softmax over unmasked steps
 *  5 Dense(64, relu)
 *  6 Dropout 0.4
 *  7 Dense(1, sigmoid), binary cross-entropy
 * </pre>
 * With {@link LstmImpl#STOCK} these are DL4J's layers: its BatchNormalization rejects 3-D recurrent input and its
 * DropoutLayer can only mask 2-D input, so the sequence is reshaped to one row per time step before the dropout (the
 * mask goes along) and back before attention, which is a SameDiff layer ({@link AttentionPooling}). With
 * {@link LstmImpl#FAST} layers 1-4 are the CPU layers of {@code dev.imdbstream.model.lstm} and
 * {@code dev.imdbstream.model.cpu}, which compute the same functions from the same parameters on the sequence as it
 * is, without reshaping; {@link BiLstmLayers#withImpl} converts a network between the two.
 * <p>
 * The optimiser is AdamW: Adam plus decoupled weight decay {@code lr * decay * param}, configured per layer so it
 * applies exactly once (a global {@code weightDecay(...)} in DL4J's builder ends up twice in each layer). As in
 * Keras, biases are decayed too; BatchNormalization's gamma/beta are not (DL4J never regularizes them). Adam's step
 * is {@link FusedAdam}: ND4J's, in one vectorised pass.
 * Each call builds an independent network; nothing is shared between networks.
 */
public final class SentimentNetwork {

    public static final int EMBEDDING = 0;
    public static final int BILSTM = 1;
    public static final int LSTM_DROPOUT = 2;
    public static final int BATCH_NORM = 3;
    public static final int ATTENTION = 4;
    public static final int DENSE = 5;
    public static final int DENSE_DROPOUT = 6;
    public static final int OUTPUT = 7;

    /** Keras' default {@code Embedding} initializer: uniform(-0.05, 0.05). */
    private static final double EMBEDDING_INIT_LIMIT = 0.05;

    private SentimentNetwork() {
    }

    /** The network's configuration; its JSON is what the serving artifact stores besides the weights. */
    public static MultiLayerConfiguration configuration(NetworkConfig c, long seed) {
        List<Regularization> decay = c.weightDecay() > 0 ? List.of(new WeightDecay(c.weightDecay(), true)) : List.of();
        int features = c.sequenceFeatures();

        EmbeddingSequenceLayer.Builder embedding = new EmbeddingSequenceLayer.Builder()
                .nIn(c.vocabSize())
                .nOut(c.embeddingDim())
                .hasBias(false)
                .inferInputLength(true)
                .weightInit(new UniformDistribution(-EMBEDDING_INIT_LIMIT, EMBEDDING_INIT_LIMIT));
        if (c.trainableEmbeddings()) {
            embedding.regularization(decay);
        }

        BatchNormalization batchNorm = new BatchNormalization.Builder()
                .nIn(features)
                .nOut(features)
                .decay(c.bnMomentum())
                .eps(c.bnEpsilon())
                .build();
        DropoutLayer lstmDropout = new DropoutLayer.Builder(1.0 - c.lstmDropout()).build();   // DL4J takes the retain probability

        DenseLayer.Builder dense = new DenseLayer.Builder()
                .nIn(features)
                .nOut(c.denseUnits())
                .activation(Activation.RELU)
                .weightInit(WeightInit.XAVIER_UNIFORM);
        dense.regularization(decay);
        dense.regularizationBias(decay);

        OutputLayer.Builder output = new OutputLayer.Builder(LossFunctions.LossFunction.XENT)
                .nIn(c.denseUnits())
                .nOut(1)
                .activation(Activation.SIGMOID)
                .weightInit(WeightInit.XAVIER_UNIFORM);
        output.regularization(decay);
        output.regularizationBias(decay);

        boolean fast = c.lstmImpl() == LstmImpl.FAST;
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(DataType.FLOAT)
                .updater(adam(c))
                .list()
                .layer(EMBEDDING, c.trainableEmbeddings() ? ScatterEmbeddingSequence.of(embedding.build())
                        : new FrozenLayer(embedding.build()))
                .layer(BILSTM, BiLstmLayers.bidirectional(c.lstmImpl(), c.embeddingDim(), c.lstmUnits(), decay))
                .layer(LSTM_DROPOUT, fast ? SequenceDropout.of(lstmDropout) : lstmDropout)
                .layer(BATCH_NORM, fast ? SequenceBatchNormalization.of(batchNorm) : batchNorm)
                .layer(ATTENTION, BiLstmLayers.attention(c.lstmImpl(), features, decay))
                .layer(DENSE, dense.build())
                .layer(DENSE_DROPOUT, new DropoutLayer.Builder(1.0 - c.denseDropout()).build())
                .layer(OUTPUT, output.build());
        if (!fast) {
            list.inputPreProcessor(LSTM_DROPOUT, new RnnToFeedForwardPreProcessor())
                    .inputPreProcessor(ATTENTION, new FeedForwardToRnnPreProcessor());
        }
        return list.build();
    }

    /**
     * A new, initialised network for one run.
     *
     * @param seed       seeds the initialisation (and the dropout masks drawn by this thread afterwards, as ND4J's
     *                   random generator is per thread: train a network on the thread that built it)
     * @param pretrained the embedding matrix for pretrained variants (row i = word id i); must be null otherwise
     */
    public static MultiLayerNetwork build(NetworkConfig c, long seed, EmbeddingMatrix pretrained) {
        if (c.variant().pretrained() != (pretrained != null)) {
            throw new IllegalArgumentException("variant " + c.variant().id()
                    + (pretrained == null ? " needs an embedding matrix" : " takes no embedding matrix"));
        }
        BlasKernel.report();
        MultiLayerNetwork net = new MultiLayerNetwork(configuration(c, seed));
        net.init();
        KerasInit.lstmKernels(net, seed);
        if (pretrained != null) {
            setEmbeddings(net, pretrained);
        }
        return net;
    }

    /** Copies an embedding matrix into the network's embedding layer. */
    public static void setEmbeddings(MultiLayerNetwork net, EmbeddingMatrix matrix) {
        INDArray weights = net.getLayer(EMBEDDING).getParam("W");
        if (weights.rows() != matrix.rows() || weights.columns() != matrix.dim()) {
            throw new IllegalArgumentException("embedding matrix is " + matrix.rows() + "x" + matrix.dim()
                    + ", the network's embedding layer is " + weights.rows() + "x" + weights.columns());
        }
        weights.assign(Nd4j.create(matrix.floats(), new long[] {matrix.rows(), matrix.dim()}, 'c'));
    }

    /** Parameter counts as Keras' {@code model.summary()} reports them. */
    public record ParameterCounts(long total, long trainable) {
        public long nonTrainable() {
            return total - trainable;
        }
    }

    /**
     * All parameters, and those the optimiser updates: BatchNormalization's running mean/variance and frozen
     * layers count as non-trainable, as in Keras.
     */
    public static ParameterCounts parameterCounts(MultiLayerNetwork net) {
        long total = 0;
        long trainable = 0;
        for (int i = 0; i < net.getnLayers(); i++) {
            Layer layer = net.getLayer(i);
            // The network's own configuration: a frozen layer's conf() is that of the layer inside it.
            org.deeplearning4j.nn.conf.layers.Layer conf = net.getLayerWiseConfigurations().getConf(i).getLayer();
            for (Map.Entry<String, INDArray> p : layer.paramTable().entrySet()) {
                long n = p.getValue().length();
                total += n;
                IUpdater updater = conf.getUpdaterByParam(p.getKey());
                if (updater != null && !(updater instanceof NoOp)) {
                    trainable += n;
                }
            }
        }
        return new ParameterCounts(total, trainable);
    }

    private static Adam adam(NetworkConfig c) {
        return new FusedAdam(c.learningRate(), NetworkConfig.ADAM_BETA1, NetworkConfig.ADAM_BETA2, c.adamEpsilon());
    }
}
