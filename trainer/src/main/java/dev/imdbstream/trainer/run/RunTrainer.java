package dev.imdbstream.trainer.run;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.jboss.logging.Logger;
import org.nd4j.linalg.factory.Nd4j;

import dev.imdbstream.common.schema.EmbeddingMatrix;
import dev.imdbstream.common.schema.EpochMetrics;
import dev.imdbstream.common.schema.Hyperparameters;
import dev.imdbstream.common.schema.TrainingJob;
import dev.imdbstream.model.Batches;
import dev.imdbstream.model.EmbeddingVariant;
import dev.imdbstream.model.Inference;
import dev.imdbstream.model.NetworkConfig;
import dev.imdbstream.model.SentimentNetwork;
import dev.imdbstream.model.Training;
import dev.imdbstream.trainer.data.RunData;
import dev.imdbstream.trainer.data.RunData.Examples;
import dev.imdbstream.trainer.run.Cancellation.CancelledException;

/**
 * Trains one run on the calling thread with its own network, optimizer, early-stopping state and
 * checkpoints: mini-batch AdamW epochs over the run's subset, validation loss after each epoch, early
 * stopping with patience restoring the best weights (Keras' {@code EarlyStopping(restore_best_weights=True)}
 * and {@code ModelCheckpoint(save_best_only=True)}). Resumes from its checkpoint after a restart. Every
 * random draw (initialisation, batch order, dropout) derives from the job's seed and the epoch, and ND4J's
 * random generator is per thread, so parallel runs neither share state nor disturb each other's draws.
 */
public final class RunTrainer {

    private static final Logger LOG = Logger.getLogger(RunTrainer.class);

    /** Receives each finished epoch. */
    public interface EpochListener {
        void onEpoch(EpochMetrics metrics, int bestEpoch, int samples) throws Exception;

        /** The run resumes from a checkpoint: these epochs were trained before (their metrics may not be out yet). */
        default void onResume(List<EpochMetrics> history) throws Exception {
        }
    }

    /**
     * The run's trained network with the best epoch's weights, and how it got there.
     *
     * @param evaluationSeconds of this attempt's epochs, the seconds spent on the inference passes over the training
     *                          subset and the validation reviews (part of {@code trainSeconds})
     */
    public record Outcome(MultiLayerNetwork network, NetworkConfig config, int epochsRun, int bestEpoch,
            double bestValLoss, List<EpochMetrics> history, double trainSeconds, Checkpoints.State state,
            double evaluationSeconds) {
    }

    /** The run cannot go on (non-finite loss): it fails with this reason. */
    public static final class RunFailedException extends Exception {
        public RunFailedException(String message) {
            super(message);
        }
    }

    private final TrainingJob job;
    private final int padId;
    private final int vocabSize;
    private final RunData data;
    private final EmbeddingMatrix embedding;
    private final Checkpoints checkpoints;
    /** Epochs so far, readable by the caller when the run fails. */
    private final List<EpochMetrics> history = new ArrayList<>();

    public RunTrainer(TrainingJob job, int vocabSize, int padId, RunData data, EmbeddingMatrix embedding,
            Checkpoints checkpoints) {
        this.job = job;
        this.vocabSize = vocabSize;
        this.padId = padId;
        this.data = data;
        this.embedding = embedding;
        this.checkpoints = checkpoints;
    }

    public List<EpochMetrics> history() {
        return List.copyOf(history);
    }

    public NetworkConfig networkConfig() {
        EmbeddingVariant variant = EmbeddingVariant.forName(job.variant());
        return NetworkConfig.of(job.hyperparameters(), variant, vocabSize);
    }

    public Outcome train(EpochListener listener, Cancellation cancellation) throws Exception {
        Hyperparameters hp = job.hyperparameters();
        NetworkConfig config = networkConfig();
        MultiLayerNetwork net;
        MultiLayerNetwork best = null;
        int epoch = 0;
        int bestEpoch = 0;
        double bestValLoss = Double.POSITIVE_INFINITY;
        String bestFile = null;
        int wait = 0;
        double seconds = 0;
        long samples = 0;

        Optional<Checkpoints.State> saved = checkpoints.load(job);
        if (saved.isPresent()) {
            Checkpoints.State s = saved.get();
            net = checkpoints.latest(s);
            best = checkpoints.best(s);
            epoch = s.epoch();
            bestEpoch = s.bestEpoch();
            bestValLoss = s.bestValLoss();
            bestFile = s.bestFile();
            wait = s.epochsSinceBest();
            seconds = s.trainSeconds();
            samples = s.trainedSamples();
            history.addAll(s.history());
            LOG.infof("%s: resuming after epoch %d from %s", job.jobId(), epoch, checkpoints.dir());
            listener.onResume(List.copyOf(history));
        } else {
            Nd4j.getRandom().setSeed(job.seed());
            net = SentimentNetwork.build(config, job.seed(), embedding);
        }

        Examples train = data.train();
        Checkpoints.State state = saved.orElse(null);
        double evaluationSeconds = 0;
        while (epoch < hp.maxEpochs() && wait < hp.patience()) {
            epoch++;
            long start = System.nanoTime();
            // Per-epoch seeds make a resumed run draw what an uninterrupted one would have.
            Nd4j.getRandom().setSeed(job.seed() * 1_000_003L + epoch);
            int[] order = permutation(train.size(), new Random(job.seed() * 31L + epoch));
            int[][] x = new int[train.size()][];
            int[] y = new int[train.size()];
            for (int i = 0; i < order.length; i++) {
                x[i] = train.tokens()[order[i]];
                y[i] = train.labels()[order[i]];
            }
            for (int from = 0; from < x.length; from += hp.batchSize()) {
                cancellation.check();
                int to = Math.min(x.length, from + hp.batchSize());
                double loss = Training.fit(net, Batches.dataSet(x, y, from, to, padId));
                if (!Double.isFinite(loss)) {
                    throw new RunFailedException("NaN loss: the training loss became " + loss + " in epoch " + epoch
                            + " (batch " + (from / hp.batchSize() + 1) + ")");
                }
            }
            samples += x.length;
            cancellation.check();
            long evaluating = System.nanoTime();
            Inference.Evaluation onTrain = Inference.evaluate(net, train.tokens(), train.labels(), padId);
            Inference.Evaluation onVal = Inference.evaluate(net, data.validation().tokens(), data.validation().labels(), padId);
            double epochEvaluation = (System.nanoTime() - evaluating) / 1e9;
            evaluationSeconds += epochEvaluation;
            if (!Double.isFinite(onVal.loss()) || !Double.isFinite(onTrain.loss())) {
                throw new RunFailedException("NaN loss: validation loss " + onVal.loss() + ", training loss "
                        + onTrain.loss() + " after epoch " + epoch);
            }
            boolean improved = onVal.loss() < bestValLoss;
            if (improved) {
                bestValLoss = onVal.loss();
                bestEpoch = epoch;
                best = net.clone();
                bestFile = checkpoints.saveBest(best, epoch);
                wait = 0;
            } else {
                wait++;
            }
            double epochSeconds = (System.nanoTime() - start) / 1e9;
            seconds += epochSeconds;
            EpochMetrics m = new EpochMetrics(EpochMetrics.VERSION, job.jobId(), job.experimentId(), job.variant(),
                    job.subsetSize(), job.seed(), epoch, hp.maxEpochs(), onTrain.loss(), onTrain.accuracy(),
                    onVal.loss(), onVal.accuracy(), epochSeconds, improved, System.currentTimeMillis());
            history.add(m);
            state = new Checkpoints.State(Checkpoints.State.VERSION, job, epoch, "latest-epoch" + epoch + ".zip",
                    bestEpoch, bestValLoss, bestFile, wait, List.copyOf(history), seconds, samples);
            checkpoints.saveLatest(net, state);
            listener.onEpoch(m, bestEpoch, x.length);
            LOG.infof("%s epoch %d/%d: loss %.4f acc %.4f, val loss %.4f acc %.4f%s (%.1f s, %.1f s of it evaluating the "
                    + "training subset and the validation reviews)", job.jobId(), epoch, hp.maxEpochs(), m.trainLoss(),
                    m.trainAccuracy(), m.valLoss(), m.valAccuracy(), improved ? " *" : "", epochSeconds, epochEvaluation);
        }
        if (best == null) {
            throw new RunFailedException("no epoch was trained");
        }
        return new Outcome(best, config, epoch, bestEpoch, bestValLoss, List.copyOf(history), seconds, state,
                evaluationSeconds);
    }

    static int[] permutation(int n, Random random) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    /** Removes checkpoint files a finished run no longer needs. */
    public void finish(Outcome outcome, boolean keepLatest) throws IOException {
        if (!keepLatest && outcome.state() != null) {
            checkpoints.finish(outcome.state());
        }
    }
}
