package dev.imdbstream.benchmarks.model;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where the time of a piece of code goes, by component of the network: samples the calling thread's stack with
 * Java Flight Recorder (Java and native frames, every 2 ms) while {@link #run} runs the code, and attributes each
 * sample to the innermost frame that belongs to a known component (a layer, a reshaping preprocessor, the updater,
 * DL4J's workspaces and bookkeeping), forward or backward by the method it is in. The shares are scaled by the
 * thread CPU time measured around the run, so they read as CPU milliseconds. Sampling is statistical: a component
 * under about 2% of the samples is noise.
 */
final class SamplingProfile {

    /** Forward (and inference) work, backward work, or the optimiser step. */
    enum Direction { FORWARD, BACKWARD, UPDATE }

    /** A component and the class-name fragments of the frames that belong to it, most specific first. */
    private record Component(String name, List<String> fragments) {
    }

    private static final List<Component> COMPONENTS = List.of(
            new Component("0 embedding", List.of(".EmbeddingSequenceLayer.", ".ScatterEmbeddingSequenceLayer.")),
            new Component("1 BiLSTM", List.of(".lstm.BiLstm", ".BidirectionalLayer.", ".recurrent.LSTM", "LSTMHelpers",
                    "MaskedBidirectional")),
            new Component("2,6 dropout", List.of(".SequenceDropoutLayer.", ".layers.DropoutLayer.", ".dropout.Dropout.")),
            new Component("3 batch norm", List.of(".SequenceBatchNormalizationLayer.", ".normalization.BatchNormalization.")),
            new Component("4 attention", List.of(".FastAttentionPoolingLayer.", ".samediff.", ".autodiff.")),
            new Component("reshaping (preprocessors)", List.of("PreProcessor.")),
            new Component("7 output + loss", List.of(".BaseOutputLayer.", ".lossfunctions.")),
            new Component("updater (AdamW)", List.of(".nn.updater.", ".linalg.learning.")),
            new Component("regularization term of the score", List.of(".calcRegularizationScore")),
            new Component("batches (input arrays)", List.of("dev.imdbstream.model.Batches.")),
            new Component("5 dense", List.of(".layers.BaseLayer.", ".layers.AbstractLayer.", ".dense.DenseLayer.")),
            new Component("DL4J workspaces + bookkeeping", List.of(".memory.", "MultiLayerNetwork.", "Workspace")));

    /** Index of the first generic component, see {@link #add}. */
    private static final int GENERIC = COMPONENTS.size() - 2;

    private static final String OTHER = "other";

    private final Map<String, EnumMap<Direction, Integer>> samples = new LinkedHashMap<>();
    private int total;
    private double cpuMillis;

    private SamplingProfile() {
        for (Component c : COMPONENTS) {
            samples.put(c.name(), new EnumMap<>(Direction.class));
        }
        samples.put(OTHER, new EnumMap<>(Direction.class));
    }

    /** Runs {@code code} on this thread while sampling it. */
    static SamplingProfile run(Runnable code) {
        SamplingProfile profile = new SamplingProfile();
        long thread = Thread.currentThread().getId();
        Path file;
        try (Recording recording = new Recording()) {
            recording.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(2));
            recording.enable("jdk.NativeMethodSample").withPeriod(Duration.ofMillis(2));
            recording.start();
            long c0 = Benchmarks.cpuNanos();
            code.run();
            profile.cpuMillis = (Benchmarks.cpuNanos() - c0) / 1e6;
            recording.stop();
            file = Files.createTempFile("model-profile", ".jfr");
            recording.dump(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            for (RecordedEvent event : RecordingFile.readAllEvents(file)) {
                if (event.getThread("sampledThread") != null
                        && event.getThread("sampledThread").getJavaThreadId() == thread) {
                    profile.add(event.getStackTrace());
                }
            }
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return profile;
    }

    private void add(RecordedStackTrace stack) {
        if (stack == null) {
            return;
        }
        // Specific components first (the innermost frame of one wins), then the generic ones: a dense layer runs in
        // DL4J's BaseLayer code, which the other layers call too, and every layer runs inside MultiLayerNetwork.
        String component = match(stack, COMPONENTS.subList(0, GENERIC));
        if (component == null) {
            component = match(stack, COMPONENTS.subList(GENERIC, COMPONENTS.size()));
        }
        if (component == null) {
            component = OTHER;
        }
        Direction direction = Direction.FORWARD;
        for (RecordedFrame frame : stack.getFrames()) {
            String method = frame.getMethod().getName();
            String type = frame.getMethod().getType().getName();
            if (type.contains(".nn.updater.") || type.contains(".linalg.learning.")) {
                direction = Direction.UPDATE;
                break;
            }
            if (method.startsWith("backprop") || method.startsWith("backward") || method.equals("calcBackpropGradients")) {
                direction = Direction.BACKWARD;
                break;
            }
        }
        samples.get(component).merge(direction, 1, Integer::sum);
        total++;
    }

    private static String match(RecordedStackTrace stack, List<Component> components) {
        for (RecordedFrame frame : stack.getFrames()) {
            String qualified = frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
            for (Component c : components) {
                for (String fragment : c.fragments()) {
                    if (qualified.contains(fragment)) {
                        return c.name();
                    }
                }
            }
        }
        return null;
    }

    /** The table: CPU ms per unit of work ({@code units} = batches profiled) per component and direction. */
    String format(String title, int units) {
        StringBuilder out = new StringBuilder();
        double perSample = total == 0 ? 0 : cpuMillis / total / units;
        out.append(String.format(Locale.ROOT, "%s: %.0f ms cpu per batch, %d samples%n", title, cpuMillis / units,
                total));
        out.append(String.format(Locale.ROOT, "  %-32s %9s %9s %9s %9s %6s%n", "component", "forward", "backward",
                "update", "total", "share"));
        List<Map.Entry<String, EnumMap<Direction, Integer>>> rows = new ArrayList<>(samples.entrySet());
        for (Map.Entry<String, EnumMap<Direction, Integer>> row : rows) {
            int n = row.getValue().values().stream().mapToInt(Integer::intValue).sum();
            if (n == 0) {
                continue;
            }
            out.append(String.format(Locale.ROOT, "  %-32s %9s %9s %9s %9.1f %5.1f%%%n", row.getKey(),
                    ms(row.getValue().get(Direction.FORWARD), perSample),
                    ms(row.getValue().get(Direction.BACKWARD), perSample),
                    ms(row.getValue().get(Direction.UPDATE), perSample), n * perSample, 100.0 * n / total));
        }
        return out.toString();
    }

    private static String ms(Integer samples, double perSample) {
        return samples == null ? "-" : String.format(Locale.ROOT, "%.1f", samples * perSample);
    }
}
