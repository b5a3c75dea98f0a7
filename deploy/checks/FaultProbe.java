import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.Consumer;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import dev.imdbstream.common.data.AclImdbReader;
import dev.imdbstream.common.data.ImdbSplit;
import dev.imdbstream.common.kafka.Json;
import dev.imdbstream.common.kafka.KafkaSecurity;
import dev.imdbstream.common.kafka.TopicScan;
import dev.imdbstream.common.kafka.Topics;
import dev.imdbstream.common.schema.EpochMetrics;
import dev.imdbstream.common.schema.ModelArtifact;
import dev.imdbstream.common.schema.Prediction;
import dev.imdbstream.common.schema.TrainingJob;
import dev.imdbstream.common.schema.TrainingResult;

/**
 * The Kafka side of deploy/checks/fault-check.sh: what the faults did to the topics, read as a user would read them.
 * Run as a single-file program on the common jar and kafka-local's runtime classpath.
 * <ul>
 * <li>{@code send BOOTSTRAP DATA_DIR PREFIX COUNT}: sends COUNT real labelled test reviews (texts from the aclImdb
 * archive, reused in turn beyond 25,000) to {@code reviews} as {@code {id, text, label}}, keyed PREFIX-i.</li>
 * <li>{@code outputs BOOTSTRAP PREFIX COUNT TIMEOUT_S}: reads {@code predictions} and {@code reviews.dlq} (read
 * committed) until each of the COUNT keys PREFIX-i has an output or the time is up; prints inputs, predictions,
 * dead letters, duplicates, missing and the models named. Exit 0 when every review has exactly one output.</li>
 * <li>{@code runs BOOTSTRAP EXPERIMENT TIMEOUT_S}: waits for a result of every job of the experiment, then prints per
 * job the epochs published on {@code training.metrics} and its results. Exit 0 when each job has exactly one result,
 * SUCCEEDED, and each of its epochs 1..n once.</li>
 * <li>{@code epochs BOOTSTRAP EXPERIMENT}: prints the number of epochs published by each job of the experiment.</li>
 * <li>{@code corrupt-artifact BOOTSTRAP MODEL_ID}: publishes an artifact whose weights are not a model, and a record
 * that is not an artifact at all, under MODEL_ID.</li>
 * <li>{@code copy-artifact BOOTSTRAP FROM_ID TO_ID}: publishes a copy of an artifact under a new id, with a lower
 * validation loss, so that a scorer selecting the best model swaps to it.</li>
 * <li>{@code corrupt-store BOOTSTRAP CHANGELOG} / {@code repair-store BOOTSTRAP CHANGELOG}: writes bytes that are not
 * a pending review into a changelog of the scorer's pending store / a tombstone over them.</li>
 * </ul>
 */
public class FaultProbe {

    private static final long CORRUPT_KEY = Long.MAX_VALUE - 7;

    public static void main(String[] args) throws Exception {
        String command = args.length == 0 ? "" : args[0];
        int code = switch (command) {
            case "send" -> send(args[1], Path.of(args[2]), args[3], Integer.parseInt(args[4]));
            case "outputs" -> outputs(args[1], args[2], Integer.parseInt(args[3]), Long.parseLong(args[4]));
            case "runs" -> runs(args[1], args[2], Long.parseLong(args[3]));
            case "epochs" -> epochs(args[1], args[2]);
            case "corrupt-artifact" -> corruptArtifact(args[1], args[2]);
            case "copy-artifact" -> copyArtifact(args[1], args[2], args[3]);
            case "corrupt-store" -> store(args[1], args[2], "not a pending review".getBytes(StandardCharsets.UTF_8));
            case "repair-store" -> store(args[1], args[2], null);
            default -> {
                System.err.println("usage: FaultProbe send|outputs|runs|epochs|corrupt-artifact|copy-artifact|"
                        + "corrupt-store|repair-store ...");
                yield 2;
            }
        };
        System.exit(code);
    }

    // ---- reviews ----

    static int send(String bootstrap, Path dataDir, String prefix, int count) throws Exception {
        List<Map<String, Object>> reviews = new ArrayList<>();
        AclImdbReader.of(dataDir.resolve("aclImdb_v1.tar.gz")).read(EnumSet.of(ImdbSplit.TEST), r -> {
            Map<String, Object> review = new LinkedHashMap<>();
            review.put("text", r.text());
            review.put("label", r.label());
            reviews.add(review);
        });
        long started = System.nanoTime();
        try (KafkaProducer<byte[], byte[]> producer = producer(bootstrap)) {
            for (int i = 0; i < count; i++) {
                Map<String, Object> review = new LinkedHashMap<>(reviews.get(i % reviews.size()));
                String id = prefix + "-" + i;
                review.put("id", id);
                producer.send(new ProducerRecord<>(Topics.REVIEWS.name(), bytes(id), Json.MAPPER.writeValueAsBytes(review)));
            }
            producer.flush();
        }
        System.out.printf("sent %d reviews (%s-0..%d) in %.1f s%n", count, prefix, count - 1,
                (System.nanoTime() - started) / 1e9);
        return 0;
    }

    static int outputs(String bootstrap, String prefix, int count, long timeoutS) {
        Map<String, Integer> seen = new HashMap<>();
        int predictions = 0;
        int deadLetters = 0;
        Map<String, Integer> models = new TreeMap<>();
        long started = System.nanoTime();
        long deadline = started + timeoutS * 1_000_000_000L;
        long lastOutput = started;
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(bootstrap)) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : List.of(Topics.PREDICTIONS.name(), Topics.REVIEWS_DLQ.name())) {
                consumer.partitionsFor(topic, Duration.ofSeconds(60))
                        .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            String p = prefix + "-";
            while (System.nanoTime() < deadline && seen.size() < count) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    String key = r.key() == null ? "" : new String(r.key(), StandardCharsets.UTF_8);
                    if (!key.startsWith(p)) {
                        continue;
                    }
                    seen.merge(key, 1, Integer::sum);
                    lastOutput = System.nanoTime();
                    if (r.topic().equals(Topics.PREDICTIONS.name())) {
                        predictions++;
                        Prediction prediction = Topics.PREDICTIONS.valueSerde().deserializer().deserialize(r.topic(), r.value());
                        prediction.scores().forEach(s -> models.merge(s.modelId(), 1, Integer::sum));
                    } else {
                        deadLetters++;
                    }
                }
            }
            // Duplicates would come after the last expected output: read what is there a moment longer.
            long settle = System.nanoTime() + 3_000_000_000L;
            while (System.nanoTime() < settle) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    String key = r.key() == null ? "" : new String(r.key(), StandardCharsets.UTF_8);
                    if (key.startsWith(p)) {
                        seen.merge(key, 1, Integer::sum);
                        if (r.topic().equals(Topics.PREDICTIONS.name())) {
                            predictions++;
                        } else {
                            deadLetters++;
                        }
                    }
                }
            }
        }
        long duplicates = seen.values().stream().mapToLong(n -> n - 1).sum();
        int missing = count - seen.size();
        System.out.printf("inputs=%d predictions=%d deadletters=%d duplicates=%d missing=%d last_output_after_s=%.1f%n",
                count, predictions, deadLetters, duplicates, missing, (lastOutput - started) / 1e9);
        System.out.println("models=" + models);
        return missing == 0 && duplicates == 0 && predictions + deadLetters == count ? 0 : 1;
    }

    // ---- training ----

    /** Jobs of an experiment, with their epochs and results as published. */
    record Run(TrainingJob job, List<Integer> epochs, List<TrainingResult> results) {
    }

    static Map<String, Run> readRuns(String bootstrap, String experiment) {
        Map<String, Run> runs = new TreeMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(bootstrap)) {
            readAll(consumer, Topics.TRAINING_JOBS.name(), r -> {
                if (r.value() != null) {
                    TrainingJob job = Topics.TRAINING_JOBS.valueSerde().deserializer().deserialize(r.topic(), r.value());
                    if (experiment.equals(job.experimentId())) {
                        runs.put(job.jobId(), new Run(job, new ArrayList<>(), new ArrayList<>()));
                    }
                }
            });
            readAll(consumer, Topics.TRAINING_METRICS.name(), r -> {
                Run run = r.key() == null || r.value() == null ? null : runs.get(new String(r.key(), StandardCharsets.UTF_8));
                if (run != null) {
                    EpochMetrics m = Topics.TRAINING_METRICS.valueSerde().deserializer().deserialize(r.topic(), r.value());
                    run.epochs().add(m.epoch());
                }
            });
            readAll(consumer, Topics.TRAINING_RESULTS.name(), r -> {
                Run run = r.key() == null || r.value() == null ? null : runs.get(new String(r.key(), StandardCharsets.UTF_8));
                if (run != null) {
                    run.results().add(Topics.TRAINING_RESULTS.valueSerde().deserializer().deserialize(r.topic(), r.value()));
                }
            });
        }
        return runs;
    }

    static int runs(String bootstrap, String experiment, long timeoutS) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutS * 1_000_000_000L;
        Map<String, Run> runs = readRuns(bootstrap, experiment);
        while ((runs.isEmpty() || runs.values().stream().anyMatch(r -> r.results().isEmpty()))
                && System.nanoTime() < deadline) {
            Thread.sleep(3000);
            runs = readRuns(bootstrap, experiment);
        }
        boolean ok = !runs.isEmpty();
        for (Run run : runs.values()) {
            List<Integer> expected = new ArrayList<>();
            int last = run.epochs().stream().mapToInt(Integer::intValue).max().orElse(0);
            for (int e = 1; e <= last; e++) {
                expected.add(e);
            }
            boolean epochsOnce = run.epochs().equals(expected);
            TrainingResult result = run.results().isEmpty() ? null : run.results().get(run.results().size() - 1);
            boolean good = run.results().size() == 1 && result.status() == TrainingResult.Status.SUCCEEDED
                    && epochsOnce && result.epochsRun() == last;
            ok &= good;
            System.out.printf("%s %s: epochs published %s, results %d (%s%s), test accuracy %s%n", good ? "ok" : "BAD",
                    run.job().jobId(), run.epochs(), run.results().size(),
                    result == null ? "none" : result.status(),
                    result == null || result.error() == null ? "" : ": " + result.error(),
                    result == null || result.test() == null ? "-" : String.format("%.4f", result.test().accuracy()));
        }
        return ok ? 0 : 1;
    }

    static int epochs(String bootstrap, String experiment) {
        readRuns(bootstrap, experiment).forEach((id, run) -> System.out.println(id + " " + run.epochs().size()));
        return 0;
    }

    // ---- models ----

    static int corruptArtifact(String bootstrap, String modelId) throws Exception {
        ModelArtifact like = latestArtifact(bootstrap, null);
        if (like == null) {
            System.err.println("no artifact on " + Topics.MODELS.name() + " to take the vocabulary from");
            return 1;
        }
        Map<String, Double> metrics = new HashMap<>(like.metrics());
        metrics.put("valLoss", 0.0); // the best model there is, if it could be loaded
        ModelArtifact broken = new ModelArtifact(like.schemaVersion(), modelId, like.variant(), like.subsetSize(),
                like.seed(), like.experimentId(), modelId, like.datasetId(), like.format(), like.preprocessing(),
                like.words(), like.hyperparameters(), metrics, like.provenance(),
                "these bytes are not a network".getBytes(StandardCharsets.UTF_8), System.currentTimeMillis());
        try (KafkaProducer<byte[], byte[]> producer = producer(bootstrap)) {
            producer.send(new ProducerRecord<>(Topics.MODELS.name(), bytes(modelId),
                    Topics.MODELS.valueSerde().serializer().serialize(Topics.MODELS.name(), broken))).get();
            producer.send(new ProducerRecord<>(Topics.MODELS.name(), bytes(modelId + "-garbage"),
                    bytes("{\"modelId\": \"not json"))).get();
        }
        System.out.println("published a broken artifact " + modelId + " and an unreadable record " + modelId + "-garbage");
        return 0;
    }

    static int copyArtifact(String bootstrap, String fromId, String toId) throws Exception {
        ModelArtifact from = latestArtifact(bootstrap, fromId);
        if (from == null) {
            System.err.println("no artifact " + fromId + " on " + Topics.MODELS.name());
            return 1;
        }
        Map<String, Double> metrics = new HashMap<>(from.metrics());
        metrics.put("valLoss", metrics.getOrDefault("valLoss", 1.0) / 2);
        ModelArtifact copy = new ModelArtifact(from.schemaVersion(), toId, from.variant(), from.subsetSize(), from.seed(),
                from.experimentId(), from.jobId(), from.datasetId(), from.format(), from.preprocessing(), from.words(),
                from.hyperparameters(), metrics, from.provenance(), from.weights(), System.currentTimeMillis());
        try (KafkaProducer<byte[], byte[]> producer = producer(bootstrap)) {
            producer.send(new ProducerRecord<>(Topics.MODELS.name(), bytes(toId),
                    Topics.MODELS.valueSerde().serializer().serialize(Topics.MODELS.name(), copy))).get();
        }
        System.out.println("published " + toId + " (a copy of " + fromId + ", valLoss " + metrics.get("valLoss") + ")");
        return 0;
    }

    /** The latest readable artifact with this id, or of any id when null. */
    static ModelArtifact latestArtifact(String bootstrap, String modelId) {
        ModelArtifact[] found = new ModelArtifact[1];
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(bootstrap)) {
            readAll(consumer, Topics.MODELS.name(), r -> {
                if (r.value() == null || (modelId != null && !modelId.equals(new String(r.key(), StandardCharsets.UTF_8)))) {
                    return;
                }
                try {
                    found[0] = Topics.MODELS.valueSerde().deserializer().deserialize(r.topic(), r.value());
                } catch (RuntimeException e) {
                    // not an artifact
                }
            });
        }
        return found[0];
    }

    // ---- the scorer's store ----

    static int store(String bootstrap, String changelog, byte[] value) throws Exception {
        byte[] key = ByteBuffer.allocate(Long.BYTES).putLong(CORRUPT_KEY).array();
        try (KafkaProducer<byte[], byte[]> producer = producer(bootstrap)) {
            producer.send(new ProducerRecord<>(changelog, 0, key, value)).get();
        }
        System.out.println((value == null ? "tombstone for" : "bytes that are not a pending review at") + " key "
                + CORRUPT_KEY + " of " + changelog + "-0");
        return 0;
    }

    // ---- clients ----

    static void readAll(KafkaConsumer<byte[], byte[]> consumer, String topic,
            Consumer<ConsumerRecord<byte[], byte[]>> sink) {
        TopicScan.readToEnd(consumer, topic, Duration.ofSeconds(60), sink);
    }

    static KafkaProducer<byte[], byte[]> producer(String bootstrap) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Topics.LARGE_MESSAGE_BYTES);
        props.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 4L * Topics.LARGE_MESSAGE_BYTES);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        return new KafkaProducer<>(KafkaSecurity.fromEnvironment().applyTo(props), new ByteArraySerializer(),
                new ByteArraySerializer());
    }

    static KafkaConsumer<byte[], byte[]> consumer(String bootstrap) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, Topics.LARGE_MESSAGE_BYTES);
        props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Topics.LARGE_MESSAGE_BYTES);
        return new KafkaConsumer<>(KafkaSecurity.fromEnvironment().applyTo(props), new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
