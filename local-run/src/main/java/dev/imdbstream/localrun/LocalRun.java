package dev.imdbstream.localrun;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.imdbstream.common.kafka.Json;
import dev.imdbstream.common.kafka.KafkaSecurity;
import dev.imdbstream.common.kafka.TopicScan;
import dev.imdbstream.common.kafka.Topics;
import dev.imdbstream.common.schema.Prediction;
import dev.imdbstream.common.schema.ReviewSequence;
import dev.imdbstream.common.study.ResultsCsv;
import dev.imdbstream.common.study.ResultsMarkdown;
import dev.imdbstream.common.study.ResultsTable;

/**
 * The console side of run-local.sh, for what bash cannot do well: JSON, Kafka clients and live progress lines.
 * run-local.sh runs it on the module's jar and runtime classpath:
 * {@code java -cp 'local-run/target/local-run-0.1.0.jar:local-run/target/lib/*' dev.imdbstream.localrun.LocalRun COMMAND ...}.
 * <ul>
 * <li>{@code request FILE --experiment ID --sizes LIST --variants LIST --seeds LIST [--epochs N] [--learning-rate X]
 * [--batch-size N] [--patience N] [--balanced] [--validation-size N] [--test-size N]}: writes the body of
 * {@code POST /experiments} to FILE and prints it on one line; hyperparameters not given keep the trainer's
 * defaults.</li>
 * <li>{@code dataset BOOTSTRAP [EMBEDDING]}: prints the id of the latest complete data set (its manifest on
 * {@code imdb.vocab}); exit 1 when there is none, or when its manifest lists no embedding named EMBEDDING.</li>
 * <li>{@code experiment TRAINER_URL BODY_FILE TIMEOUT_S STATE_FILE}: {@code POST /experiments}, then polls
 * {@code GET /experiments/{id}} and prints each run's epochs (losses, accuracies), outcomes and an ETA, then the
 * results table; the last answer goes to STATE_FILE. Exit 0 all runs succeeded, 2 some failed, 1 timeout.</li>
 * <li>{@code stream BOOTSTRAP COUNT KEY_PREFIX TIMEOUT_S SUMMARY_FILE}: sends COUNT labelled reviews of
 * {@code imdb.test} to {@code reviews} (as text where the records carry it, else as token ids), reads their predictions back (read committed) and prints live throughput and
 * accuracy per model; the summary goes to SUMMARY_FILE. Exit 0 when every review got its prediction.</li>
 * <li>{@code tables [--against VARIANT,...] DIR...}: the study's tables in Markdown from each {@code DIR/runs.csv} (a
 * report's, or one committed under {@code results/}): the answer table, accuracy per cell and the paired gains over
 * {@code random} and {@code glove}, then over each variant {@code --against} names. Exit 1 when a file is missing or
 * malformed.</li>
 * </ul>
 * Kafka clients are secured as every client of the project: {@link KafkaSecurity} from the environment
 * ({@code KAFKA_SECURITY_PROTOCOL}, {@code KAFKA_SASL_USERNAME}, ...). {@code POST /experiments} carries
 * {@code Authorization: Bearer $TRAINER_API_TOKEN} when that variable is set.
 */
public class LocalRun {

    public static void main(String[] args) throws Exception {
        String command = args.length == 0 ? "" : args[0];
        int code = switch (command) {
            case "request" -> request(Path.of(args[1]), Arrays.copyOfRange(args, 2, args.length));
            case "dataset" -> dataset(args[1], args.length > 2 ? args[2] : null);
            case "experiment" -> experiment(args[1], Path.of(args[2]), Long.parseLong(args[3]), Path.of(args[4]));
            case "stream" -> stream(args[1], Integer.parseInt(args[2]), args[3], Long.parseLong(args[4]), Path.of(args[5]));
            case "tables" -> tables(Arrays.asList(args).subList(1, args.length));
            default -> {
                System.err.println("usage: LocalRun request|dataset|experiment|stream|tables ...");
                yield 2;
            }
        };
        System.exit(code);
    }

    // ---- tables ----

    /** {@code [--against VARIANT[,VARIANT...]] DIR...}: gains over random and glove, then over the named variants. */
    static int tables(List<String> args) {
        List<String> baselines = new java.util.ArrayList<>(ResultsTable.BASELINES);
        List<Path> dirs = new java.util.ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            if (args.get(i).equals("--against") && i + 1 < args.size()) {
                baselines.addAll(Arrays.asList(args.get(++i).split(",")));
            } else if (args.get(i).startsWith("--")) {
                dirs.clear();
                break;
            } else {
                dirs.add(Path.of(args.get(i)));
            }
        }
        if (dirs.isEmpty()) {
            System.err.println("usage: LocalRun tables [--against VARIANT[,VARIANT...]] DIR... (each DIR holds a runs.csv)");
            return 2;
        }
        try {
            for (Path dir : dirs) {
                System.out.print(tablesOf(dir, baselines));
            }
            return 0;
        } catch (RuntimeException e) {
            System.err.println("tables: " + e.getMessage());
            return 1;
        }
    }

    /** The Markdown tables of one results folder, under a heading with its name; gains over random and glove. */
    static String tablesOf(Path dir) {
        return tablesOf(dir, ResultsTable.BASELINES);
    }

    /** The Markdown tables of one results folder, with the gains over each of {@code baselines} it holds. */
    static String tablesOf(Path dir, List<String> baselines) {
        Path runs = dir.resolve("runs.csv");
        if (!Files.isRegularFile(runs)) {
            throw new IllegalArgumentException("no runs.csv in " + dir);
        }
        ResultsTable table = ResultsTable.ofOutcomes(ResultsCsv.readOutcomes(runs), baselines);
        StringBuilder b = new StringBuilder("## ").append(dir.getFileName()).append("\n\n");
        b.append("Test accuracy, mean [95% t-interval of the mean]:\n\n").append(ResultsMarkdown.answerTable(table));
        b.append("\nMean ± sd [95% t-interval] (seeds):\n\n").append(ResultsMarkdown.accuracyTable(table));
        for (String baseline : table.baselines()) {
            b.append("\nGain over ").append(baseline).append(", paired by seed:\n\n")
                    .append(ResultsMarkdown.gainTable(table, baseline));
        }
        return b.append('\n').toString();
    }

    // ---- request ----

    static int request(Path file, String[] options) throws IOException {
        ObjectNode body = experimentRequest(options);
        Files.writeString(file, Json.MAPPER.writeValueAsString(body) + "\n");
        System.out.println(Json.MAPPER.writeValueAsString(body));
        return 0;
    }

    /**
     * The body of {@code POST /experiments} from run-local.sh's options: lists are comma-separated; hyperparameters
     * are sent only when given, in the trainer's names.
     */
    static ObjectNode experimentRequest(String... options) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        ObjectNode hyper = Json.MAPPER.createObjectNode();
        for (int i = 0; i < options.length; i++) {
            String option = options[i];
            if (option.equals("--balanced")) {
                hyper.put("balancedSubsets", true);
                continue;
            }
            if (i + 1 >= options.length) {
                throw new IllegalArgumentException("no value after " + option);
            }
            String value = options[++i];
            switch (option) {
                case "--experiment" -> body.put("experimentId", value);
                case "--sizes" -> list(value).forEach(body.putArray("sizes")::add);
                case "--variants" -> {
                    ArrayNode variants = body.putArray("variants");
                    List.of(value.split(",")).stream().map(String::strip).filter(v -> !v.isEmpty()).forEach(variants::add);
                }
                case "--seeds" -> list(value).forEach(body.putArray("seeds")::add);
                case "--epochs" -> hyper.put("maxEpochs", Integer.parseInt(value));
                case "--learning-rate" -> hyper.put("learningRate", Double.parseDouble(value));
                case "--batch-size" -> hyper.put("batchSize", Integer.parseInt(value));
                case "--patience" -> hyper.put("patience", Integer.parseInt(value));
                case "--validation-size" -> hyper.put("validationSize", Integer.parseInt(value));
                case "--test-size" -> hyper.put("testSize", Integer.parseInt(value));
                default -> throw new IllegalArgumentException("unknown option " + option);
            }
        }
        body.set("hyperparameters", hyper);
        return body;
    }

    private static List<Long> list(String numbers) {
        return Arrays.stream(numbers.split(",")).map(String::strip).filter(n -> !n.isEmpty()).map(Long::parseLong).toList();
    }

    // ---- dataset ----

    static int dataset(String bootstrap, String embedding) throws IOException {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(bootstrap)) {
            if (consumer.listTopics(Duration.ofSeconds(30)).get(Topics.VOCAB.name()) == null) {
                System.err.println("no topic " + Topics.VOCAB.name() + " yet");
                return 1;
            }
            String latest = null;
            byte[] manifest = null;
            long latestTs = Long.MIN_VALUE;
            for (ConsumerRecord<byte[], byte[]> r : readAll(consumer, Topics.VOCAB.name(), 30_000)) {
                if (r.value() != null && r.timestamp() >= latestTs) {
                    latest = new String(r.key(), StandardCharsets.UTF_8);
                    manifest = r.value();
                    latestTs = r.timestamp();
                }
            }
            if (latest == null) {
                return 1;
            }
            if (embedding != null) {
                Set<String> offered = new HashSet<>();
                Json.MAPPER.readTree(manifest).path("embeddings").forEach(e -> offered.add(e.path("name").asText()));
                if (!offered.contains(embedding)) {
                    System.err.println("data set " + latest + " offers no embedding " + embedding + " (offers " + offered + ")");
                    return 1;
                }
            }
            System.out.println(latest);
            return 0;
        }
    }

    // ---- experiment ----

    static int experiment(String trainer, Path bodyFile, long timeoutS, Path stateFile) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        long start = System.nanoTime();
        long deadline = start + timeoutS * 1_000_000_000L;
        String body = Files.readString(bodyFile);
        JsonNode created = null;
        String lastError = "";
        // 409 while the trainer has not yet read the data set's manifest: it comes within seconds of the start.
        while (created == null) {
            HttpRequest.Builder post = HttpRequest.newBuilder(URI.create(trainer + "/experiments"))
                    .header("Content-Type", "application/json").timeout(Duration.ofSeconds(60))
                    .POST(HttpRequest.BodyPublishers.ofString(body));
            String token = System.getenv("TRAINER_API_TOKEN");
            if (token != null && !token.isBlank()) {
                post.header("Authorization", "Bearer " + token.strip());
            }
            HttpResponse<String> r = http.send(post.build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 202) {
                created = Json.MAPPER.readTree(r.body());
            } else if (r.statusCode() == 409 && r.body().contains("exists")) {
                // The same command again (after an interruption) follows the experiment it started, which the trainer
                // goes on with; another grid under the same id is an error.
                JsonNode request = Json.MAPPER.readTree(body);
                String existingId = request.path("experimentId").asText();
                HttpResponse<String> d = http.send(HttpRequest.newBuilder(URI.create(trainer + "/experiments/" + existingId))
                        .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
                JsonNode existing = d.statusCode() == 200 ? Json.MAPPER.readTree(d.body()) : null;
                if (existing == null || !grid(existing).equals(grid(request))) {
                    System.err.println("POST /experiments answered " + r.statusCode() + ": " + r.body()
                            + " (with another grid: choose another --experiment id)");
                    return 1;
                }
                say("experiment " + existingId + " exists with this grid: following it");
                created = Json.MAPPER.createObjectNode().put("experimentId", existingId)
                        .put("datasetId", existing.path("summary").path("datasetId").asText())
                        .set("hyperparameters", existing.path("hyperparameters"));
                ArrayNode ids = ((ObjectNode) created).putArray("jobIds");
                existing.path("runs").forEach(run -> ids.add(run.path("jobId").asText()));
            } else if (r.statusCode() == 409 && !r.body().contains("exists") && System.nanoTime() < deadline) {
                if (!r.body().equals(lastError)) {
                    say("waiting for the trainer to see the data set: " + r.body());
                    lastError = r.body();
                }
                Thread.sleep(2000);
            } else {
                System.err.println("POST /experiments answered " + r.statusCode() + ": " + r.body());
                return 1;
            }
        }
        String id = created.path("experimentId").asText();
        int runs = created.path("jobIds").size();
        say("experiment " + id + ": " + runs + " runs on data set " + created.path("datasetId").asText()
                + ", hyperparameters " + created.path("hyperparameters"));
        warnAboutEarlierExperiments(http, trainer, id);

        Map<String, String> seen = new HashMap<>();
        long lastStatus = 0;
        JsonNode detail = null;
        boolean unreachable = false;
        while (true) {
            HttpResponse<String> r;
            try {
                r = http.send(HttpRequest.newBuilder(URI.create(trainer + "/experiments/" + id))
                        .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
                if (unreachable) {
                    say("trainer reachable again");
                    unreachable = false;
                }
            } catch (IOException e) {
                // A restarting trainer (its supervisor starts it again) resumes the runs: keep following.
                if (!unreachable) {
                    say("trainer unreachable (" + e + "); waiting for it");
                    unreachable = true;
                }
                r = null;
            }
            if (r != null && r.statusCode() == 200) {
                detail = Json.MAPPER.readTree(r.body());
                Files.writeString(stateFile, r.body());
                for (JsonNode run : detail.path("runs")) {
                    String line = runLine(run);
                    if (!line.equals(seen.get(run.path("jobId").asText()))) {
                        seen.put(run.path("jobId").asText(), line);
                        if (!run.path("state").asText().equals("QUEUED")) {
                            say(line);
                        }
                    }
                }
                JsonNode summary = detail.path("summary");
                if (summary.path("finished").asBoolean()) {
                    break;
                }
                if (System.nanoTime() - lastStatus > 30_000_000_000L) {
                    lastStatus = System.nanoTime();
                    say(String.format(Locale.ROOT, "progress: %d done (%d failed), %d running, %d queued; %s elapsed%s",
                            summary.path("succeeded").asInt() + summary.path("failed").asInt(), summary.path("failed").asInt(),
                            summary.path("running").asInt(), summary.path("queued").asInt(), clock(seconds(start)), eta(detail)));
                }
            }
            if (System.nanoTime() > deadline) {
                System.err.println("experiment " + id + " not finished within " + timeoutS + " s");
                return 1;
            }
            Thread.sleep(3000);
        }
        say("experiment " + id + " finished in " + clock(seconds(start)));
        System.out.println();
        System.out.println("Test accuracy (mean over seeds), subset size x variant:");
        for (JsonNode cell : detail.path("table")) {
            JsonNode acc = cell.path("accuracy");
            System.out.printf(Locale.ROOT, "  n=%-5d %-13s accuracy %s  ROC-AUC %s  seeds %d%s%n", cell.path("subsetSize").asInt(),
                    cell.path("variant").asText(), num(acc.path("mean")) + (acc.path("n").asInt() > 1 ? " ± " + num(acc.path("sd")) : ""),
                    num(cell.path("rocAuc").path("mean")), acc.path("n").asInt(),
                    cell.path("failed").asInt() > 0 ? ", " + cell.path("failed").asInt() + " failed" : "");
        }
        System.out.println();
        return detail.path("summary").path("failed").asInt() == 0 ? 0 : 2;
    }

    /** The runs of an experiment request ({@code sizes × variants × seeds}) or detail ({@code runs}) as a set. */
    static Set<String> grid(JsonNode experiment) {
        Set<String> cells = new HashSet<>();
        if (experiment.has("runs")) {
            experiment.path("runs").forEach(run -> cells.add(run.path("variant").asText() + "/"
                    + run.path("subsetSize").asInt() + "/" + run.path("seed").asLong()));
        } else {
            experiment.path("variants").forEach(v -> experiment.path("sizes").forEach(n -> experiment.path("seeds")
                    .forEach(seed -> cells.add(v.asText() + "/" + n.asInt() + "/" + seed.asLong()))));
        }
        return cells;
    }

    static String runLine(JsonNode run) {
        String name = String.format(Locale.ROOT, "%-6s n=%-4d seed %d", run.path("variant").asText(),
                run.path("subsetSize").asInt(), run.path("seed").asLong());
        String state = run.path("state").asText();
        JsonNode m = run.path("latest");
        return switch (state) {
            case "SUCCEEDED" -> String.format(Locale.ROOT, "%s  done: test accuracy %s, ROC-AUC %s, best epoch %d of %d, %s",
                    name, num(run.path("testAccuracy")), num(run.path("testRocAuc")), run.path("bestEpoch").asInt(),
                    run.path("epoch").asInt(), clock(run.path("trainSeconds").asDouble()));
            case "FAILED" -> name + "  FAILED: " + run.path("error").asText();
            case "RUNNING" -> m.isMissingNode() || m.isNull() ? name + "  started"
                    : String.format(Locale.ROOT, "%s  epoch %2d/%d  loss %s/%s  accuracy %s/%s (train/val)  %.0f s/epoch%s",
                            name, m.path("epoch").asInt(), m.path("maxEpochs").asInt(), num(m.path("trainLoss")),
                            num(m.path("valLoss")), num(m.path("trainAccuracy")), num(m.path("valAccuracy")),
                            m.path("seconds").asDouble(), m.path("improved").asBoolean() ? "  best so far" : "");
            default -> name + "  " + state.toLowerCase(Locale.ROOT);
        };
    }

    /**
     * An upper bound (no early stopping) of the time left: epoch seconds per training example, measured on the
     * runs so far, times the epochs left of every unfinished run, divided among the runs seen training at once.
     */
    static String eta(JsonNode detail) {
        double secondsPerExample = 0;
        int measured = 0;
        int running = Math.max(1, detail.path("summary").path("running").asInt());
        for (JsonNode run : detail.path("runs")) {
            JsonNode m = run.path("latest");
            if (!m.isMissingNode() && !m.isNull() && m.path("seconds").asDouble() > 0) {
                secondsPerExample += m.path("seconds").asDouble() / run.path("subsetSize").asInt();
                measured++;
            }
        }
        if (measured == 0) {
            return "";
        }
        secondsPerExample /= measured;
        double left = 0;
        for (JsonNode run : detail.path("runs")) {
            String state = run.path("state").asText();
            if (state.equals("QUEUED") || state.equals("RUNNING")) {
                int max = detail.path("hyperparameters").path("maxEpochs").asInt();
                left += secondsPerExample * run.path("subsetSize").asInt() * Math.max(0, max - run.path("epoch").asInt());
            }
        }
        return left == 0 ? ", evaluating on the test set"
                : ", ETA at most " + clock(left / running) + " (less with early stopping)";
    }

    // ---- stream ----

    static int stream(String bootstrap, int count, String prefix, long timeoutS, Path summaryFile) throws Exception {
        long start = System.nanoTime();
        long deadline = start + timeoutS * 1_000_000_000L;
        Map<String, Integer> sent = new LinkedHashMap<>();
        try (KafkaConsumer<byte[], byte[]> predictions = consumer(bootstrap);
                KafkaProducer<byte[], byte[]> producer = producer(bootstrap)) {
            // Positioned at the end before anything is sent: only this run's predictions are read.
            List<TopicPartition> parts = partitions(predictions, Topics.PREDICTIONS.name());
            predictions.assign(parts);
            predictions.seekToEnd(parts);
            parts.forEach(predictions::position);

            List<ReviewSequence> reviews = testReviews(bootstrap, count);
            if (reviews.size() < count) {
                System.err.println("only " + reviews.size() + " labelled test reviews on " + Topics.TEST.name());
            }
            long sendStart = System.nanoTime();
            for (ReviewSequence review : reviews) {
                String key = prefix + "/" + review.id();
                // As a client sends a review: {id, text, label} where the data set carries the text (ingested with
                // --text; a model of the text, minilm-logreg, reads nothing else), else the record as on imdb.test
                // without it, whose tokens and label the scorer reads.
                ObjectNode value;
                if (review.text() != null) {
                    value = Json.MAPPER.createObjectNode().put("id", review.id()).put("text", review.text())
                            .put("label", review.label());
                } else {
                    value = Json.MAPPER.valueToTree(review);
                    value.remove("text");
                }
                producer.send(new ProducerRecord<>(Topics.REVIEWS.name(), key.getBytes(StandardCharsets.UTF_8),
                        Json.MAPPER.writeValueAsBytes(value)));
                sent.put(key, review.label());
            }
            producer.flush();
            say(String.format(Locale.ROOT, "sent %d labelled test reviews to %s in %.1f s", sent.size(), Topics.REVIEWS.name(),
                    seconds(sendStart)));

            Set<String> predicted = new HashSet<>();
            Map<String, int[]> perModel = new TreeMap<>(); // model -> [correct, labelled]
            double latencySum = 0;
            long firstAt = 0;
            long lastPrint = System.nanoTime();
            int lastCount = 0;
            while (predicted.size() < sent.size() && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : predictions.poll(Duration.ofMillis(500))) {
                    String key = r.key() == null ? "" : new String(r.key(), StandardCharsets.UTF_8);
                    if (!sent.containsKey(key) || !predicted.add(key)) {
                        continue;
                    }
                    if (firstAt == 0) {
                        firstAt = System.nanoTime();
                    }
                    Prediction p = Topics.PREDICTIONS.valueSerde().deserializer().deserialize(r.topic(), r.value());
                    latencySum += p.latencyMs();
                    for (Prediction.ModelScore s : p.scores()) {
                        int[] c = perModel.computeIfAbsent(s.variant() + " n=" + s.subsetSize() + " (" + s.modelId() + ")",
                                k -> new int[2]);
                        c[1]++;
                        if (s.label() == sent.get(key)) {
                            c[0]++;
                        }
                    }
                }
                if (System.nanoTime() - lastPrint > 2_000_000_000L || predicted.size() == sent.size()) {
                    double window = seconds(lastPrint);
                    lastPrint = System.nanoTime();
                    say(String.format(Locale.ROOT, "predictions %d/%d, now %.1f reviews/s, mean latency %.0f ms; accuracy %s",
                            predicted.size(), sent.size(), (predicted.size() - lastCount) / Math.max(0.001, window),
                            predicted.isEmpty() ? 0 : latencySum / predicted.size(), accuracies(perModel)));
                    lastCount = predicted.size();
                }
            }
            double elapsed = seconds(sendStart);
            StringBuilder summary = new StringBuilder();
            summary.append("sent=").append(sent.size()).append('\n');
            summary.append("predicted=").append(predicted.size()).append('\n');
            summary.append("missing=").append(sent.size() - predicted.size()).append('\n');
            summary.append(String.format(Locale.ROOT, "seconds=%.1f%nreviews_per_second=%.1f%nmean_latency_ms=%.0f%n", elapsed,
                    predicted.size() / Math.max(0.001, elapsed), predicted.isEmpty() ? 0 : latencySum / predicted.size()));
            perModel.forEach((model, c) -> summary.append(String.format(Locale.ROOT, "accuracy %s = %.4f (%d reviews)%n",
                    model, c[0] / (double) c[1], c[1])));
            Files.writeString(summaryFile, summary.toString());
            if (predicted.size() < sent.size() || sent.size() < count) {
                System.err.println("predictions for " + predicted.size() + " of " + sent.size() + " reviews within " + timeoutS + " s");
                return 1;
            }
            return 0;
        }
    }

    static String accuracies(Map<String, int[]> perModel) {
        List<String> parts = new ArrayList<>();
        perModel.forEach((model, c) -> parts.add(String.format(Locale.ROOT, "%s %.3f", model.substring(0, model.indexOf(" (")),
                c[0] / (double) c[1])));
        return parts.isEmpty() ? "-" : String.join(", ", parts);
    }

    /** The first COUNT labelled reviews of imdb.test, of the latest data set. */
    static List<ReviewSequence> testReviews(String bootstrap, int count) {
        String datasetId = null;
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(bootstrap)) {
            long ts = Long.MIN_VALUE;
            for (ConsumerRecord<byte[], byte[]> r : readAll(consumer, Topics.VOCAB.name(), 30_000)) {
                if (r.value() != null && r.timestamp() >= ts) {
                    datasetId = new String(r.key(), StandardCharsets.UTF_8);
                    ts = r.timestamp();
                }
            }
        }
        // The latest record of each key (a data set ingested again, e.g. with its text, replaces its records), in the
        // order the keys first appear; the first COUNT of them.
        Map<String, ReviewSequence> latest = new LinkedHashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(bootstrap)) {
            List<TopicPartition> parts = partitions(consumer, Topics.TEST.name());
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            Map<TopicPartition, Long> end = consumer.endOffsets(parts);
            long deadline = System.nanoTime() + 120_000_000_000L;
            while (System.nanoTime() < deadline && !atEnd(consumer, end)) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    String key = r.key() == null ? "" : new String(r.key(), StandardCharsets.UTF_8);
                    if (r.value() == null) {
                        latest.remove(key);
                        continue;
                    }
                    ReviewSequence review = Topics.TEST.valueSerde().deserializer().deserialize(r.topic(), r.value());
                    if (review.label() >= 0 && (datasetId == null || datasetId.equals(review.datasetId()))) {
                        latest.put(key, review);
                    }
                }
            }
        }
        return latest.values().stream().limit(count).toList();
    }

    // ---- Kafka helpers ----

    static KafkaConsumer<byte[], byte[]> consumer(String bootstrap) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 64 * 1024 * 1024);
        p.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 64 * 1024 * 1024);
        return new KafkaConsumer<>(KafkaSecurity.fromEnvironment().applyTo(p), new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
    }

    static KafkaProducer<byte[], byte[]> producer(String bootstrap) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        return new KafkaProducer<>(KafkaSecurity.fromEnvironment().applyTo(p), new ByteArraySerializer(),
                new ByteArraySerializer());
    }

    static List<TopicPartition> partitions(KafkaConsumer<?, ?> consumer, String topic) {
        List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
        if (infos == null || infos.isEmpty()) {
            throw new IllegalStateException("no topic " + topic);
        }
        return infos.stream().map(i -> new TopicPartition(topic, i.partition())).toList();
    }

    static List<ConsumerRecord<byte[], byte[]>> readAll(KafkaConsumer<byte[], byte[]> consumer, String topic, long timeoutMs) {
        return TopicScan.readToEnd(consumer, topic, Duration.ofMillis(timeoutMs));
    }

    static boolean atEnd(KafkaConsumer<?, ?> consumer, Map<TopicPartition, Long> end) {
        return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
    }

    // ---- formatting ----

    /**
     * Names the trainer's unfinished experiments other than {@code id}, with how to cancel each: an interrupted local
     * run's experiment stays on the broker, and the trainer goes on with its runs beside this one's (the largest
     * runs first, whichever experiment they belong to), which can double the time this one takes.
     */
    static void warnAboutEarlierExperiments(HttpClient http, String trainer, String id) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(trainer + "/experiments"))
                    .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                return;
            }
            for (String line : earlierExperiments(Json.MAPPER.readTree(r.body()), id, trainer)) {
                say(line);
            }
        } catch (IOException e) {
            say("could not list the trainer's other experiments: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One line per unfinished, not cancelled experiment of the {@code GET /experiments} list other than {@code id}. */
    static List<String> earlierExperiments(JsonNode list, String id, String trainer) {
        List<String> lines = new ArrayList<>();
        for (JsonNode e : list) {
            String other = e.path("experimentId").asText();
            if (other.equals(id) || e.path("finished").asBoolean() || e.path("experimentCancelled").asBoolean()) {
                continue;
            }
            lines.add(String.format(Locale.ROOT, "note: experiment %s, started before this one, still has %d runs queued"
                    + " and %d running: the trainer runs them beside this experiment's (cancel it: curl -X DELETE"
                    + " %s/experiments/%s)", other, e.path("queued").asInt(), e.path("running").asInt(), trainer, other));
        }
        return lines;
    }

    static void say(String line) {
        System.out.printf("%tT   %s%n", System.currentTimeMillis(), line);
    }

    static double seconds(long sinceNanos) {
        return (System.nanoTime() - sinceNanos) / 1e9;
    }

    static String clock(double seconds) {
        long s = Math.round(seconds);
        return s >= 60 ? String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60) : s + "s";
    }

    static String num(JsonNode n) {
        if (n == null || n.isMissingNode() || n.isNull()) {
            return "-";
        }
        double d = n.asDouble(Double.NaN);
        return Double.isNaN(d) ? "-" : String.format(Locale.ROOT, "%.3f", d);
    }
}
