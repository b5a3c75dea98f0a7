package dev.imdbstream.benchmarks.scorer;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import dev.imdbstream.common.data.RawReview;
import dev.imdbstream.common.kafka.Json;
import dev.imdbstream.common.kafka.TopicCreation;
import dev.imdbstream.common.kafka.Topics;
import dev.imdbstream.common.schema.Hyperparameters;
import dev.imdbstream.common.schema.ModelArtifact;
import dev.imdbstream.common.schema.Prediction;
import dev.imdbstream.common.text.Vocabulary;
import dev.imdbstream.kafka.LocalKafka;
import dev.imdbstream.model.EmbeddingVariant;
import dev.imdbstream.model.ModelArtifacts;
import dev.imdbstream.model.NetworkConfig;
import dev.imdbstream.model.SentimentNetwork;
import dev.imdbstream.model.ServingModel;
import dev.imdbstream.scorer.KafkaTestClients;
import dev.imdbstream.scorer.RealData;
import dev.imdbstream.scorer.TestConfig;
import dev.imdbstream.scorer.TestModels;
import dev.imdbstream.scorer.metrics.ScorerMetrics;
import dev.imdbstream.scorer.model.ModelRegistry;
import dev.imdbstream.scorer.streams.Intake;
import dev.imdbstream.scorer.streams.TopologyProducer;

/**
 * The scorer's speed benchmark (a program):
 * <pre>
 * bin/scorer-benchmark.sh --in-process \
 *     [-Dbench.reviews=6000] [-Dbench.warmup=3000] [-Dbench.batch=128] [-Dbench.width=notebook|N] [-Dbench.seconds=20] \
 *     [-Dbench.inference-thread=true] [-Dbench.loads=0.5,0.25] [-Dbench.rounds=5] [-Dbench.quiet-jit=0.05]
 * </pre>
 * With the notebook's network (untrained weights: the same arithmetic), on real test reviews when
 * {@code imdb.data.dir} has them: (1) the bare model's inference rate on raw text ({@code ServingModel.predictTexts},
 * tokenization included); (2) the production topology on a real broker with the production Kafka Streams settings
 * of application.properties (exactly-once), after {@code bench.warmup} reviews: in rounds, reviews/s from producing
 * raw text to consuming the prediction read-committed, then latency percentiles at fractions of that rate
 * ({@code bench.loads}), end to end and as the scorer measures it; rounds repeat until the JIT compilers were quiet.
 * Each phase also prints where the CPU went, by thread.
 *
 * <p>{@code bin/scorer-benchmark.sh} runs it against a broker and a scorer service in processes of their own
 * ({@code bench.bootstrap}, {@code bench.scorer-url}, {@code bench.pids} for their CPU), with the bare model in a JVM
 * of its own on the scorer's CPU: {@code bench.bare-command} names the script that starts it ({@code bench.bare-server}),
 * warm and idle between measurements.
 *
 * <p>The machine's speed drifts by tens of percent over minutes, so each round's max rate is compared with the bare
 * model measured right before and right after it on the same core, not with one measurement at the start.
 */
public final class ScorerBenchmark {

    /** The benchmark's Kafka Streams application id; its threads' names contain it. */
    private static final String APPLICATION_ID = "imdb-scorer-bench";

    /** Latency (scorer side) above which a review counts as slow in the episodes printed for each paced phase. */
    private static final double SLOW_MS = 100;

    /** Broker and Kafka Streams state of this run, removed at the end. */
    private final Path dir;

    private ScorerBenchmark(Path dir) {
        this.dir = dir;
    }

    public static void main(String[] args) throws IOException {
        Path dir = Files.createTempDirectory("scorer-benchmark");
        int status = 0;
        try {
            new ScorerBenchmark(dir).run();
        } catch (Exception | AssertionError e) {
            e.printStackTrace();
            status = 1;
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
        // Kafka's and ND4J's non-daemon threads must not keep the JVM up.
        System.exit(status);
    }

    private void run() throws Exception {
        int reviews = Integer.getInteger("bench.reviews", 6000);
        int warmUp = Integer.getInteger("bench.warmup", 3000);
        int batch = Integer.getInteger("bench.batch", 128);
        boolean inferenceThread = Boolean.parseBoolean(System.getProperty("bench.inference-thread", "true"));
        double[] loads = Arrays.stream(System.getProperty("bench.loads", "0.5,0.25").split(","))
                .mapToDouble(Double::parseDouble).toArray();
        int seconds = Integer.getInteger("bench.seconds", 20);
        int rounds = Integer.getInteger("bench.rounds", 5);
        // The measurement is over after a round in which the JIT compilers of all processes used less than this.
        double quietJitCores = Double.parseDouble(System.getProperty("bench.quiet-jit", "0.05"));
        String width = System.getProperty("bench.width", "notebook");

        List<String> texts = new ArrayList<>();
        Vocabulary vocabulary = reviewsAndVocabulary(Math.min(Math.max(reviews, 2000), 25_000), texts);
        ModelArtifact artifact = artifact(vocabulary, width);
        print("model: %s, %d reviews of %s, micro-batch %d, inference thread %s", width, texts.size(),
                RealData.archive() != null ? "aclImdb test" : "synthetic text", batch, inferenceThread);

        List<String> sample = texts.subList(0, Math.min(texts.size(), 2000));
        ServingModel bare = ServingModel.load(artifact);
        String bareCommand = System.getProperty("bench.bare-command");
        boolean bareServer = Boolean.getBoolean("bench.bare-server");
        double[] rates = {0, 0};
        if (bareCommand == null) {
            // Alone, the small batches' code paths get compiled only after a few thousand reviews: round 1 then
            // mostly measures the JIT at work.
            int bareRounds = bareServer ? 3 : 1;
            for (int round = 1; round <= bareRounds; round++) {
                rates = bareRates(bare, sample, batch);
            }
        }
        if (bareServer) {
            serveBareRates(bare, sample, batch, rates);
            return;
        }
        try (BareReference reference = bareCommand != null ? new BareProcess(bareCommand)
                : () -> bestOfTwo(bare, sample, batch)) {
            if (reference instanceof BareProcess process) {
                rates = process.initialRates();
            }
            stream(texts, artifact, reviews, warmUp, batch, inferenceThread, loads, seconds, rounds, quietJitCores,
                    reference, rates[0], rates[1]);
        }
    }

    private void stream(List<String> texts, ModelArtifact artifact, int reviews, int warmUp, int batch,
            boolean inferenceThread, double[] loads, int seconds, int rounds, double quietJitCores,
            BareReference reference, double bareBatch, double bare256) throws Exception {

        // An external broker and scorer service (bin/scorer-benchmark.sh starts them): the deployment's shape, each
        // in a process of its own; otherwise both run in this JVM.
        String externalBootstrap = System.getProperty("bench.bootstrap");
        String scorerUrl = System.getProperty("bench.scorer-url");
        try (LocalKafka kafka = externalBootstrap == null ? LocalKafka.start(dir.resolve("kafka")) : null) {
            String bootstrap = kafka != null ? kafka.bootstrapServers() : externalBootstrap;
            createTopics(bootstrap);
            SimpleMeterRegistry meters = new SimpleMeterRegistry();
            ScorerMetrics metrics = new ScorerMetrics(meters);
            TestConfig config = TestConfig.production().withBatchSize(batch).withInferenceThread(inferenceThread);
            ModelRegistry registry = new ModelRegistry(config, metrics);
            Scorer scorer = scorerUrl != null ? new ExternalScorer(scorerUrl) : new InProcessScorer(meters);
            try (KafkaProducer<byte[], byte[]> producer = KafkaTestClients.producer(bootstrap);
                    KafkaStreams streams = scorerUrl != null ? null
                            : new KafkaStreams(new TopologyProducer(config, registry, metrics,
                                    new Intake(registry, metrics)).topology(),
                                    streamsProperties(bootstrap));
                    KafkaConsumer<byte[], Prediction> consumer = KafkaTestClients.consumer(bootstrap,
                            Topics.PREDICTIONS.name(), Topics.PREDICTIONS.valueSerde().deserializer(), true)) {
                producer.send(new ProducerRecord<>(Topics.MODELS.name(), bytes(artifact.modelId()),
                        Topics.MODELS.valueSerde().serializer().serialize(Topics.MODELS.name(), artifact))).get();
                if (streams != null) {
                    streams.start();
                    awaitRunning(streams, registry);
                }

                List<byte[]> values = new ArrayList<>();
                for (int i = 0; i < texts.size(); i++) {
                    values.add(Json.MAPPER.writeValueAsBytes(Map.of("id", "r" + i, "text", texts.get(i))));
                }
                long warmUpStarted = System.nanoTime();
                send(producer, values, 0, warmUp, 0);
                receive(consumer, warmUp, null, null, null, artifact.modelId());
                print("warm-up: %d reviews, %.1f reviews/s", warmUp, warmUp / ((System.nanoTime() - warmUpStarted) / 1e9));
                // The JIT compilers keep working for minutes after the warm-up (small micro-batches take other paths
                // than large ones), at up to a quarter of a core in the scorer and in the broker each: the measurement
                // is repeated until they were quiet during all of it, and the last round is the steady state.
                int first = warmUp;
                List<String> shares = new ArrayList<>();
                for (int round = 1; round <= rounds; round++) {
                    print("round %d of at most %d", round, rounds);
                    double bareBefore = reference.measure();
                    Cpu cpu = Cpu.start();
                    long started = System.nanoTime();
                    send(producer, values, first, first + reviews, 0);
                    receive(consumer, reviews, null, null, null, artifact.modelId());
                    first += reviews;
                    double maxRate = reviews / ((System.nanoTime() - started) / 1e9);
                    CpuUse atMax = cpu.stop();
                    double bareAfter = reference.measure();
                    double around = (bareBefore + bareAfter) / 2;
                    print("end to end, max rate: %.1f reviews/s, %.0f%% of the bare model around it (%.1f before, %.1f "
                            + "after, at batch %d); %.0f%% of the first bare measurement at batch %d, %.0f%% at 256",
                            maxRate, 100 * maxRate / around, bareBefore, bareAfter, batch, 100 * maxRate / bareBatch,
                            batch, 100 * maxRate / bare256);
                    shares.add(String.format("%.0f%%", 100 * maxRate / around));
                    print("CPU at max rate, in cores: %s", atMax.text());
                    double jit = atMax.jitCores();
                    for (double fraction : loads) {
                        Paced phase = paced(producer, consumer, values, first, fraction, maxRate * fraction, seconds,
                                scorer, artifact.modelId());
                        first += phase.count();
                        jit = Math.max(jit, phase.jitCores());
                    }
                    if (jit < quietJitCores) {
                        break;
                    }
                    print("the JIT compilers used up to %.2f cores in a phase of round %d%s", jit, round,
                            round < rounds ? ": measuring again" : "; no round was quiet, see bench.rounds");
                }
                print("max rate per round, share of the bare model around it: %s", String.join(", ", shares));
                double[] total = scorer.batchSizes();
                print("mean micro-batch size over the run: %.1f", total[1] / Math.max(1, total[0]));
                if (streams != null) {
                    streams.close(Duration.ofSeconds(30));
                }
            }
        }
    }

    /** What the benchmark reads from the scorer under test besides its predictions. */
    private interface Scorer {

        /** The count and the sum of {@code scorer_batch_size} (reviews per inference pass) so far. */
        double[] batchSizes() throws IOException, InterruptedException;
    }

    private record InProcessScorer(SimpleMeterRegistry meters) implements Scorer {

        @Override
        public double[] batchSizes() {
            HistogramSnapshot s = meters.get("scorer.batch.size").summary().takeSnapshot();
            return new double[] {s.count(), s.total()};
        }
    }

    /** The scorer service at {@code url}, read through its Prometheus endpoint. */
    private record ExternalScorer(String url) implements Scorer {

        private static final HttpClient HTTP = HttpClient.newHttpClient();

        @Override
        public double[] batchSizes() throws IOException, InterruptedException {
            String body = HTTP.send(HttpRequest.newBuilder(URI.create(url + "/q/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            return new double[] {sample(body, "scorer_batch_size_count"), sample(body, "scorer_batch_size_sum")};
        }

        private static double sample(String metrics, String name) {
            return metrics.lines().filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{"))
                    .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
        }
    }

    /** A paced phase: the reviews it sent, and the cores the JIT compilers used meanwhile (all processes). */
    private record Paced(int count, double jitCores) {
    }

    /** Latency percentiles while reviews arrive at a steady {@code rate} for {@code seconds}. */
    private static Paced paced(KafkaProducer<byte[], byte[]> producer, KafkaConsumer<byte[], Prediction> consumer,
            List<byte[]> values, int first, double fraction, double rate, int seconds, Scorer scorer, String modelId)
            throws IOException, InterruptedException {
        int count = (int) Math.min(rate * seconds, 100_000);
        long[] endToEnd = new long[count];
        double[] scorerSide = new double[count];
        long[] sentAt = new long[count];
        double[] batches = scorer.batchSizes();
        Thread sender = new Thread(() -> send(producer, values, first, first + count, rate));
        Cpu cpu = Cpu.start();
        sender.start();
        receive(consumer, count, endToEnd, scorerSide, sentAt, modelId);
        sender.join();
        String slow = slowEpisodes(sentAt, scorerSide, SLOW_MS);
        CpuUse cores = cpu.stop();
        double[] after = scorer.batchSizes();
        Arrays.sort(endToEnd);
        Arrays.sort(scorerSide);
        print("%s: %s", label(fraction), slow);
        print("%s (%.1f reviews/s, %d reviews): latency in the scorer (record timestamp to "
                + "prediction) p50 %.0f ms, p95 %.0f ms, p99 %.0f ms; end to end read-committed p50 %d ms, p95 %d ms, "
                + "p99 %d ms; mean micro-batch %.1f", label(fraction), rate, count, pct(scorerSide, 50),
                pct(scorerSide, 95), pct(scorerSide, 99), pct(endToEnd, 50), pct(endToEnd, 95), pct(endToEnd, 99),
                (after[1] - batches[1]) / Math.max(1, after[0] - batches[0]));
        print("CPU %s, in cores: %s", label(fraction), cores.text());
        return new Paced(count, cores.jitCores());
    }

    /**
     * Where the slow reviews (scorer-side latency over {@code slowMs}) were: episodes of reviews sent within a second
     * of each other, their number, start and length. Spread out, they are load; a few bursts at regular intervals are
     * stalls (GC, commits, JIT).
     */
    private static String slowEpisodes(long[] sentAt, double[] scorerSide, double slowMs) {
        Integer[] order = new Integer[sentAt.length];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, (a, b) -> Long.compare(sentAt[a], sentAt[b]));
        List<long[]> episodes = new ArrayList<>(); // {first sent, last sent, reviews, worst ms}
        int slow = 0;
        for (int i : order) {
            if (scorerSide[i] <= slowMs) {
                continue;
            }
            slow++;
            long[] last = episodes.isEmpty() ? null : episodes.get(episodes.size() - 1);
            if (last != null && sentAt[i] - last[1] <= 1000) {
                last[1] = sentAt[i];
                last[2]++;
                last[3] = Math.max(last[3], (long) scorerSide[i]);
            } else {
                episodes.add(new long[] {sentAt[i], sentAt[i], 1, (long) scorerSide[i]});
            }
        }
        if (episodes.isEmpty()) {
            return String.format("no review over %.0f ms", slowMs);
        }
        StringBuilder out = new StringBuilder(String.format("%d reviews over %.0f ms (%.1f%%) in %d episodes:", slow,
                slowMs, 100.0 * slow / sentAt.length, episodes.size()));
        long phaseStart = sentAt[order[0]];
        for (long[] e : episodes.subList(0, Math.min(12, episodes.size()))) {
            // The wall-clock time too, to find the episode in the GC logs that bin/scorer-benchmark.sh writes.
            out.append(String.format(" at %.1f s (%s) %d reviews sent over %d ms, worst %d ms;",
                    (e[0] - phaseStart) / 1000.0, LocalTime.ofInstant(Instant.ofEpochMilli(e[0]), ZoneId.systemDefault()),
                    e[2], e[1] - e[0], e[3]));
        }
        return out.substring(0, out.length() - 1) + (episodes.size() > 12 ? " ..." : "");
    }

    private static String label(double fraction) {
        return String.format("at %.0f%% of the max rate", 100 * fraction);
    }

    /** Real test reviews when the data is there (the vocabulary as the ingestor builds it), else synthetic text. */
    private static Vocabulary reviewsAndVocabulary(int n, List<String> texts) {
        Path archive = RealData.archive();
        if (archive != null) {
            RealData data = RealData.load(archive, 0, n, 5);
            data.test.stream().map(RawReview::text).forEach(texts::add);
            return data.vocabulary;
        }
        SplittableRandom random = new SplittableRandom(1);
        for (int i = 0; i < n; i++) {
            StringBuilder text = new StringBuilder();
            for (int w = 0; w < 230; w++) {
                text.append(TestModels.review(random, random.nextBoolean())).append(' ');
            }
            texts.add(text.toString());
        }
        return TestModels.VOCABULARY;
    }

    private static ModelArtifact artifact(Vocabulary vocabulary, String width) {
        NetworkConfig config = NetworkConfig.notebook(EmbeddingVariant.RANDOM);
        config = "notebook".equals(width)
                ? config.withDimensions(vocabulary.size(), 100, 128, 64)
                : config.withDimensions(vocabulary.size(), Integer.parseInt(width), Integer.parseInt(width), 16);
        MultiLayerNetwork net = SentimentNetwork.build(config, 1, null);
        ModelArtifacts.Description d = new ModelArtifacts.Description("bench-" + width, "random", 1000, 1, "bench",
                "bench", "bench", vocabulary, Hyperparameters.notebook(), Map.of("valLoss", 0.5), Map.of());
        return ModelArtifacts.encode(net, d, config, System.currentTimeMillis());
    }

    /** Prints and returns the bare model's rates at {@code batch} and at 256 (best of two each), and small batches'. */
    private static double[] bareRates(ServingModel bare, List<String> sample, int batch) {
        bareRate(bare, sample.subList(0, Math.min(sample.size(), 512)), 256);
        // Best of two, alternating: on a shared machine a single run is easily 30% off.
        double bareBatch = Math.max(bareRate(bare, sample, batch), 0);
        double bare256 = bareRate(bare, sample, 256);
        bareBatch = Math.max(bareBatch, bareRate(bare, sample, batch));
        bare256 = Math.max(bare256, bareRate(bare, sample, 256));
        print("bare model, raw text -> probability: %.1f reviews/s at batch %d, %.1f reviews/s at batch 256", bareBatch,
                batch, bare256);
        StringBuilder small = new StringBuilder();
        for (int b : new int[] {1, 4, 16, 64}) {
            List<String> part = sample.subList(0, Math.min(sample.size(), Math.max(256, 16 * b)));
            double rate = Math.max(bareRate(bare, part, b), bareRate(bare, part, b));
            small.append(String.format(" batch %d: %.1f reviews/s (%.1f ms a pass);", b, rate, 1000 * b / rate));
        }
        print("bare model, smaller batches:%s", small);
        return new double[] {bareBatch, bare256};
    }

    /** The bare model's rate at the micro-batch, best of two runs over the sample. */
    private static double bestOfTwo(ServingModel bare, List<String> sample, int batch) {
        return Math.max(bareRate(bare, sample, batch), bareRate(bare, sample, batch));
    }

    /**
     * {@code bench.bare-server}: after the warm-up rounds, prints {@code bare-ready <rate at the batch> <rate at 256>}
     * (the last round's), then one {@link #bestOfTwo} measurement per line read from stdin, printed as
     * {@code bare-rate <reviews/s>}, until stdin closes. Blocked on stdin in between, so the core is the scorer's while
     * the stream runs.
     */
    private static void serveBareRates(ServingModel bare, List<String> sample, int batch, double[] warmedUp)
            throws IOException {
        System.out.println(BareProcess.READY + warmedUp[0] + " " + warmedUp[1]);
        java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(System.in,
                StandardCharsets.UTF_8));
        while (in.readLine() != null) {
            System.out.println(BareProcess.RATE + bestOfTwo(bare, sample, batch));
        }
    }

    /** The bare model's rate at the micro-batch, measured on request. */
    private interface BareReference extends AutoCloseable {
        double measure() throws IOException;

        @Override
        default void close() throws IOException {
        }
    }

    /**
     * The bare model in a JVM of its own, started by {@code bench.bare-command} (a script that pins it to the scorer's
     * CPU) and kept warm: its output is echoed with a prefix.
     */
    private static final class BareProcess implements BareReference {
        static final String READY = "bare-ready ";
        static final String RATE = "bare-rate ";

        private final Process process;
        private final java.io.BufferedReader out;
        private final java.io.Writer in;
        /** The rates at the micro-batch and at 256 after the process' warm-up rounds. */
        private final double[] initial;

        BareProcess(String command) throws IOException {
            print("bare model: starting %s", command);
            process = new ProcessBuilder("bash", command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            out = new java.io.BufferedReader(new java.io.InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            in = new java.io.OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
            initial = Arrays.stream(readUntil(READY).substring(READY.length()).split(" "))
                    .mapToDouble(Double::parseDouble).toArray();
        }

        double[] initialRates() {
            return initial.clone();
        }

        @Override
        public double measure() throws IOException {
            in.write("measure\n");
            in.flush();
            double rate = Double.parseDouble(readUntil(RATE).substring(RATE.length()));
            print("bare model on the scorer's CPU: %.1f reviews/s", rate);
            return rate;
        }

        private String readUntil(String prefix) throws IOException {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                if (line.startsWith(prefix)) {
                    return line;
                }
                System.out.println("[bare] " + line);
            }
            throw new IOException("the bare model's process ended (exit " + waitFor() + ") before printing " + prefix);
        }

        private int waitFor() {
            try {
                return process.waitFor(30, TimeUnit.SECONDS) ? process.exitValue() : -1;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return -1;
            }
        }

        @Override
        public void close() throws IOException {
            in.close();
            if (waitFor() == -1) {
                process.destroy();
            }
        }
    }

    private static double bareRate(ServingModel model, List<String> texts, int batch) {
        long started = System.nanoTime();
        for (int from = 0; from < texts.size(); from += batch) {
            model.predictTexts(texts.subList(from, Math.min(texts.size(), from + batch)));
        }
        return texts.size() / ((System.nanoTime() - started) / 1e9);
    }

    /** Sends values[from..to), at {@code rate} reviews/s, or as fast as possible when the rate is 0. */
    private static void send(KafkaProducer<byte[], byte[]> producer, List<byte[]> values, int from, int to, double rate) {
        long started = System.nanoTime();
        for (int i = from; i < to; i++) {
            producer.send(new ProducerRecord<>(Topics.REVIEWS.name(), bytes("r" + i), values.get(i % values.size())));
            if (rate > 0) {
                long wait = started + (long) ((i - from + 1) * 1e9 / rate) - System.nanoTime();
                if (wait > 0) {
                    try {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
        }
        producer.flush();
    }

    /** Reads {@code count} predictions; each must name the benchmark's model (an external scorer could hold others). */
    private static void receive(KafkaConsumer<byte[], Prediction> consumer, int count, long[] endToEnd,
            double[] scorerSide, long[] sentAt, String modelId) {
        int seen = 0;
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
        while (seen < count && System.nanoTime() < deadline) {
            for (ConsumerRecord<byte[], Prediction> r : consumer.poll(Duration.ofMillis(100))) {
                if (r.value().scores().size() != 1 || !r.value().scores().get(0).modelId().equals(modelId)) {
                    throw new AssertionError("a prediction by other models than " + modelId + ": " + r.value());
                }
                if (endToEnd != null && seen < count) {
                    endToEnd[seen] = System.currentTimeMillis() - r.timestamp();
                    scorerSide[seen] = r.value().latencyMs();
                    sentAt[seen] = r.timestamp(); // a prediction carries its review's timestamp
                }
                seen++;
            }
        }
        if (seen < count) {
            throw new AssertionError("only " + seen + " of " + count + " predictions arrived");
        }
    }

    /** The production Kafka Streams settings: the {@code kafka-streams.*} keys of application.properties. */
    private Properties streamsProperties(String bootstrap) throws IOException {
        Properties app = new Properties();
        try (InputStream in = ScorerBenchmark.class.getResourceAsStream("/application.properties")) {
            app.load(in);
        }
        Properties props = new Properties();
        app.stringPropertyNames().stream().filter(k -> k.startsWith("kafka-streams."))
                .forEach(k -> props.put(k.substring("kafka-streams.".length()), app.getProperty(k)));
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, APPLICATION_ID);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(StreamsConfig.STATE_DIR_CONFIG, dir.resolve("streams").toString());
        print("Kafka Streams settings: %s", props);
        return props;
    }

    private static void awaitRunning(KafkaStreams streams, ModelRegistry registry) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while ((streams.state() != KafkaStreams.State.RUNNING || registry.current().isEmpty())
                && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        if (streams.state() != KafkaStreams.State.RUNNING || registry.current().isEmpty()) {
            throw new AssertionError("streams " + streams.state() + ", models " + registry.current().modelIds());
        }
    }

    private static void createTopics(String bootstrap) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            // An external scorer may have created them already.
            TopicCreation.createMissing(admin, List.of(Topics.REVIEWS, Topics.PREDICTIONS, Topics.REVIEWS_DLQ,
                    Topics.MODELS), Optional.empty(), Duration.ofSeconds(30));
        }
    }

    private static long pct(long[] sorted, int p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }

    private static double pct(double[] sorted, int p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * CPU over a phase, in cores: this JVM's threads by role ({@link ThreadCpu}), and each process named in
     * {@code bench.pids} ({@code name=pid,...}: the external broker and scorer) with its busiest threads, from
     * {@code /proc/<pid>/task/<tid>/stat}. There a thread is named by its first 15 characters: JIT ("C2 CompilerThre"),
     * GC and VM threads can be told apart, and the scorer's inference threads ("inference-imdb-") from its stream
     * threads and their clients ("imdb-scorer-<uuid>...").
     */
    private record Cpu(ThreadCpu threads, Map<String, Map<String, Long>> processTicks) {

        /** USER_HZ: the unit of /proc's CPU times, 100 on Linux's supported architectures. */
        private static final double TICKS_PER_SECOND = 100;

        static Cpu start() {
            return new Cpu(ThreadCpu.start(), readProcessTicks());
        }

        /**
         * Per process (this JVM as "benchmark"), CPU ticks by thread name; threads that ended during the phase are not
         * counted.
         */
        private static Map<String, Map<String, Long>> readProcessTicks() {
            Map<String, Map<String, Long>> ticks = new TreeMap<>();
            String pids = System.getProperty("bench.pids", "");
            for (String entry : (pids + (pids.isBlank() ? "" : ",") + "benchmark=" + ProcessHandle.current().pid())
                    .split(",")) {
                String[] nameAndPid = entry.split("=", 2);
                Map<String, Long> byThread = new HashMap<>();
                try (Stream<Path> tasks = Files.list(Path.of("/proc", nameAndPid[1].trim(), "task"))) {
                    for (Path task : tasks.toList()) {
                        String stat;
                        try {
                            stat = Files.readString(task.resolve("stat"));
                        } catch (IOException gone) {
                            continue; // the thread ended
                        }
                        // "tid (name) state ...": utime and stime are the 12th and 13th fields after the name.
                        String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                        byThread.merge(name, Long.parseLong(f[11]) + Long.parseLong(f[12]), Long::sum);
                    }
                } catch (IOException | RuntimeException e) {
                    throw new IllegalArgumentException("bench.pids: cannot read the CPU time of " + entry, e);
                }
                ticks.put(nameAndPid[0].trim(), byThread);
            }
            return ticks;
        }

        CpuUse stop() {
            double wall = (System.nanoTime() - threads.startedNanos()) / 1e9;
            StringBuilder out = new StringBuilder();
            double[] jit = {0};
            readProcessTicks().forEach((process, now) -> {
                Map<String, Long> before = processTicks.get(process);
                Map<String, Double> cores = new HashMap<>();
                now.forEach((thread, t) -> cores.put(thread, (t - before.getOrDefault(thread, 0L)) / TICKS_PER_SECOND
                        / wall));
                cores.forEach((thread, c) -> jit[0] += thread.startsWith("C1 CompilerThre")
                        || thread.startsWith("C2 CompilerThre") ? c : 0);
                out.append(String.format("%s process %.2f (%s), ", process,
                        cores.values().stream().mapToDouble(Double::doubleValue).sum(),
                        cores.entrySet().stream().filter(e -> e.getValue() >= 0.01)
                                .sorted(Map.Entry.<String, Double>comparingByValue().reversed()).limit(6)
                                .map(e -> String.format("'%s' %.2f", e.getKey(), e.getValue()))
                                .collect(Collectors.joining(", "))));
            });
            return new CpuUse(String.format("%sJIT compilers %.2f in all; this JVM's Java threads %s", out, jit[0],
                    threads.stop()), jit[0]);
        }
    }

    private record CpuUse(String text, double jitCores) {
    }

    /**
     * CPU time of this JVM's threads over a phase, in cores (CPU seconds per wall-clock second), by role: the scorer's
     * inference thread, its stream thread, the rest of Kafka Streams (producer and global threads), the broker, and
     * this benchmark's producer and consumer. JIT compiler and GC threads are not Java threads and are not counted.
     */
    private record ThreadCpu(long startedNanos, Map<Long, Long> cpuNanos) {

        private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

        static ThreadCpu start() {
            return new ThreadCpu(System.nanoTime(), sample());
        }

        private static Map<Long, Long> sample() {
            Map<Long, Long> cpu = new HashMap<>();
            for (long id : THREADS.getAllThreadIds()) {
                cpu.put(id, THREADS.getThreadCpuTime(id));
            }
            return cpu;
        }

        String stop() {
            double wall = System.nanoTime() - startedNanos;
            Map<String, Double> byRole = new TreeMap<>();
            for (ThreadInfo info : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
                if (info == null) {
                    continue;
                }
                long now = THREADS.getThreadCpuTime(info.getThreadId());
                long before = cpuNanos.getOrDefault(info.getThreadId(), 0L);
                if (now > before) {
                    byRole.merge(role(info.getThreadName()), (now - before) / wall, Double::sum);
                }
            }
            double total = byRole.values().stream().mapToDouble(Double::doubleValue).sum();
            StringBuilder out = new StringBuilder(String.format("%.2f in all:", total));
            byRole.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                    .forEach(e -> out.append(String.format(" %s %.2f,", e.getKey(), e.getValue())));
            return out.substring(0, out.length() - 1);
        }

        private static String role(String thread) {
            if (thread.contains(APPLICATION_ID)) {
                return thread.startsWith("inference-") ? "inference"
                        : thread.matches(".*StreamThread-\\d+") ? "stream thread" : "other Kafka Streams";
            }
            return thread.equals("main") || thread.startsWith("Thread-") || thread.contains("producer-")
                    || thread.contains("consumer-") || thread.contains("coordinator-heartbeat") ? "benchmark clients"
                    : thread.matches("(data-plane|kafka-|group-coordinator|TxnMarker|AddPartitionsToTxn|ExpirationReaper"
                            + "|executor-|quorum-controller|broker-|controller-).*") ? "broker" : "other";
        }
    }

    /** Benchmark results are this command's output. */
    private static void print(String format, Object... args) {
        System.out.println("[scorer-benchmark] " + String.format(format, args));
    }
}
