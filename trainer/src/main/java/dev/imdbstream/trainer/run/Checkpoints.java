package dev.imdbstream.trainer.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.jboss.logging.Logger;

import dev.imdbstream.common.kafka.Json;
import dev.imdbstream.common.schema.EpochMetrics;
import dev.imdbstream.common.schema.Ids;
import dev.imdbstream.common.schema.TrainingJob;
import dev.imdbstream.model.BiLstmLayers;
import dev.imdbstream.model.LstmImpl;

/**
 * One run's checkpoint folder ({@code <checkpoint-dir>/<job id>/}): the latest epoch's network with its
 * optimizer state, the best epoch's network, and {@code state.json} naming both with the early-stopping
 * state. Files are written under a new name and then named by an atomically replaced {@code state.json}, so
 * a crash at any point leaves the previous consistent checkpoint.
 */
public final class Checkpoints {

    private static final Logger LOG = Logger.getLogger(Checkpoints.class);
    private static final String STATE = "state.json";
    /** Attempts at the run that have not ended (yet): one while it trains, more after the process died during one. */
    private static final String ATTEMPTS = "attempts";

    private final Path dir;

    /** @throws IllegalArgumentException for a job id that is not one safe folder name ({@link Ids#NAME}) */
    public Checkpoints(Path root, String jobId) {
        this.dir = root.resolve(Ids.require("job id", jobId, Ids.NAME));
    }

    public Path dir() {
        return dir;
    }

    /**
     * Early-stopping state after {@code epoch}.
     *
     * @param job                 the job as it was trained: a checkpoint of a different definition is ignored
     * @param latestFile          network with updater state after {@code epoch}
     * @param bestFile            network (no updater) of {@code bestEpoch}
     * @param epochsSinceBest     epochs without validation-loss improvement (Keras' {@code wait})
     */
    public record State(int schemaVersion, TrainingJob job, int epoch, String latestFile, int bestEpoch,
            double bestValLoss, String bestFile, int epochsSinceBest, List<EpochMetrics> history,
            double trainSeconds, long trainedSamples) {

        public static final int VERSION = 1;
    }

    /** The saved state of this job, if any and if it was saved for the same job definition. */
    public Optional<State> load(TrainingJob job) {
        Path state = dir.resolve(STATE);
        if (!Files.isRegularFile(state)) {
            return Optional.empty();
        }
        try {
            State s = Json.MAPPER.readValue(state.toFile(), State.class);
            if (s.schemaVersion() != State.VERSION || !sameRun(s.job(), job)
                    || !Files.isRegularFile(dir.resolve(s.latestFile())) || !Files.isRegularFile(dir.resolve(s.bestFile()))) {
                LOG.warnf("ignoring checkpoint %s: it belongs to another definition of the job or is incomplete", dir);
                return Optional.empty();
            }
            return Optional.of(s);
        } catch (IOException e) {
            LOG.warnf("ignoring unreadable checkpoint %s: %s", state, e.getMessage());
            return Optional.empty();
        }
    }

    private static boolean sameRun(TrainingJob a, TrainingJob b) {
        return a != null && a.jobId().equals(b.jobId()) && a.datasetId().equals(b.datasetId())
                && a.variant().equals(b.variant()) && a.subsetSize() == b.subsetSize() && a.seed() == b.seed()
                && a.hyperparameters().equals(b.hyperparameters());
    }

    /** The latest epoch's network with its optimizer state, computed by this backend's LSTM implementation. */
    public MultiLayerNetwork latest(State s) throws IOException {
        return forThisBackend(ModelSerializer.restoreMultiLayerNetwork(dir.resolve(s.latestFile()).toFile(), true));
    }

    /** The best epoch's network, computed by this backend's LSTM implementation. */
    public MultiLayerNetwork best(State s) throws IOException {
        return forThisBackend(ModelSerializer.restoreMultiLayerNetwork(dir.resolve(s.bestFile()).toFile(), false));
    }

    // A run checkpointed on one backend (e.g. a CUDA node: stock layers) may resume on another (CPU: fast layers).
    private static MultiLayerNetwork forThisBackend(MultiLayerNetwork net) {
        return BiLstmLayers.withImpl(net, LstmImpl.forCurrentBackend());
    }

    /** Writes the best epoch's network (without updater state) and returns its file name. */
    public String saveBest(MultiLayerNetwork net, int epoch) throws IOException {
        String name = "best-epoch" + epoch + ".zip";
        write(net, name, false);
        return name;
    }

    /**
     * Writes the latest network with its updater state, then the state naming it; files no longer named
     * are deleted.
     */
    public void saveLatest(MultiLayerNetwork net, State state) throws IOException {
        write(net, state.latestFile(), true);
        Path tmp = dir.resolve(STATE + ".tmp");
        Json.MAPPER.writeValue(tmp.toFile(), state);
        move(tmp, dir.resolve(STATE));
        deleteExcept(state.latestFile(), state.bestFile(), STATE, ATTEMPTS);
    }

    /** After success: drops the latest epoch's network (optimizer state), keeping the best one. */
    public void finish(State state) {
        deleteExcept(state.bestFile(), STATE, ATTEMPTS);
    }

    /**
     * Records that an attempt at the run starts, until {@link #attemptEnded()}.
     *
     * @return how many earlier attempts never ended: the process died during them (killed, out of memory)
     */
    public int attemptStarted() throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve(ATTEMPTS);
        int unfinished = 0;
        if (Files.isRegularFile(file)) {
            try {
                unfinished = Integer.parseInt(Files.readString(file).trim());
            } catch (NumberFormatException e) {
                unfinished = 1;
            }
        }
        Files.writeString(file, Integer.toString(unfinished + 1));
        return unfinished;
    }

    /** The attempt ended, whatever its outcome: it does not count as one the process died in. */
    public void attemptEnded() {
        try {
            Files.deleteIfExists(dir.resolve(ATTEMPTS));
        } catch (IOException e) {
            LOG.warnf("cannot remove %s: %s", dir.resolve(ATTEMPTS), e.getMessage());
        }
    }

    private void write(MultiLayerNetwork net, String name, boolean withUpdater) throws IOException {
        Files.createDirectories(dir);
        Path tmp = dir.resolve(name + ".tmp");
        ModelSerializer.writeModel(net, tmp.toFile(), withUpdater);
        move(tmp, dir.resolve(name));
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private void deleteExcept(String... keep) {
        List<String> kept = List.of(keep);
        try (Stream<Path> files = Files.list(dir)) {
            files.filter(p -> !kept.contains(p.getFileName().toString())).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            LOG.warnf("cannot clean checkpoint folder %s: %s", dir, e.getMessage());
        }
    }
}
