package dev.imdbstream.trainer.study;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

import dev.imdbstream.common.kafka.Topics;
import dev.imdbstream.common.schema.EpochMetrics;
import dev.imdbstream.common.schema.ExperimentCancellation;
import dev.imdbstream.common.schema.Ids;
import dev.imdbstream.common.schema.TrainingJob;
import dev.imdbstream.common.schema.TrainingResult;
import dev.imdbstream.common.schema.VocabularyRecord;
import dev.imdbstream.trainer.config.TrainerConfig;
import dev.imdbstream.trainer.kafka.KafkaClients;
import dev.imdbstream.trainer.process.FailFast;

/**
 * The state of every experiment as the topics tell it, so that any instance can answer the REST API and
 * decide whether a job was already trained or cancelled. Consumes (without a group, from the beginning, for as
 * long as the service runs) {@code training.jobs}, {@code training.metrics}, {@code training.results},
 * {@code training.cancellations} and the data set manifests on {@code imdb.vocab}. A job whose ids are not safe
 * ({@link TrainingJob#validated()}) is left out: no API answer, report or metric ever names it. Thread-safe: one
 * thread applies records, readers see concurrent maps.
 */
@ApplicationScoped
public class StudyView {

    private static final Logger LOG = Logger.getLogger(StudyView.class);
    private static final List<String> TOPICS = List.of(Topics.TRAINING_JOBS.name(), Topics.TRAINING_METRICS.name(),
            Topics.TRAINING_RESULTS.name(), Topics.TRAINING_CANCELLATIONS.name(), Topics.VOCAB.name());

    private final KafkaClients clients;
    private final TrainerConfig config;
    private final FailFast failFast;

    private final Map<String, TrainingJob> jobs = new ConcurrentHashMap<>();
    private final Map<String, NavigableMap<Integer, EpochMetrics>> metrics = new ConcurrentHashMap<>();
    private final Map<String, TrainingResult> results = new ConcurrentHashMap<>();
    private final Map<String, VocabularyRecord> manifests = new ConcurrentHashMap<>();
    private final Map<String, ExperimentCancellation> cancellations = new ConcurrentHashMap<>();
    private final List<Consumer<ExperimentCancellation>> cancellationListeners = new CopyOnWriteArrayList<>();
    /** Next offset to read per partition, published after the records before it were applied. */
    private final Map<TopicPartition, Long> positions = new ConcurrentHashMap<>();
    private final List<Consumer<TrainingResult>> resultListeners = new CopyOnWriteArrayList<>();
    private final Object progress = new Object();

    private volatile List<TopicPartition> assigned = List.of();
    private volatile KafkaConsumer<String, byte[]> consumer;
    private volatile Thread thread;
    private volatile boolean running;
    private volatile Throwable failure;

    public StudyView(KafkaClients clients, TrainerConfig config, FailFast failFast) {
        this.clients = clients;
        this.config = config;
        this.failFast = failFast;
    }

    public synchronized void start() {
        if (thread != null) {
            return;
        }
        consumer = clients.readerConsumer("trainer-view");
        List<TopicPartition> partitions = new ArrayList<>();
        long deadline = System.nanoTime() + config.kafka().requestTimeout().toNanos();
        for (String topic : TOPICS) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, config.kafka().requestTimeout());
            // A topic created a moment ago may not be in the metadata yet: it then has no partitions.
            while (infos.isEmpty() && System.nanoTime() < deadline) {
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for topic " + topic, e);
                }
                infos = consumer.partitionsFor(topic, config.kafka().requestTimeout());
            }
            if (infos.isEmpty()) {
                throw new IllegalStateException("topic " + topic + " has no partitions on " + clients.bootstrapServers());
            }
            for (PartitionInfo p : infos) {
                partitions.add(new TopicPartition(topic, p.partition()));
            }
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        assigned = List.copyOf(partitions);
        running = true;
        thread = new Thread(this::loop, "study-view");
        thread.setDaemon(true);
        thread.start();
    }

    public synchronized void stop() {
        running = false;
        if (consumer != null) {
            consumer.wakeup();
        }
        if (thread != null) {
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            thread = null;
        }
    }

    /** True while the reading thread is alive (for the health check). */
    public boolean healthy() {
        Thread t = thread;
        return t != null && t.isAlive() && failure == null;
    }

    public void onResult(Consumer<TrainingResult> listener) {
        resultListeners.add(listener);
    }

    /** Calls {@code listener} on the view's thread with every cancellation read, after it is visible here. */
    public void onCancellation(Consumer<ExperimentCancellation> listener) {
        cancellationListeners.add(listener);
    }

    private void loop() {
        try {
            while (running) {
                ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(500));
                for (ConsumerRecord<String, byte[]> r : records) {
                    apply(r);
                }
                Map<TopicPartition, Long> read = new HashMap<>();
                for (TopicPartition tp : consumer.assignment()) {
                    try {
                        // Short: a partition without a known position (leader not elected yet) is asked again
                        // on the next round instead of holding up the others.
                        read.put(tp, consumer.position(tp, Duration.ofMillis(50)));
                    } catch (org.apache.kafka.common.errors.TimeoutException e) {
                        LOG.debugf("no position yet for %s", tp);
                    }
                }
                synchronized (progress) {
                    positions.putAll(read);
                    progress.notifyAll();
                }
            }
        } catch (WakeupException e) {
            if (running) {
                failure = e;
                failFast.died("the study view", e);
            }
        } catch (RuntimeException e) {
            failure = e;
            if (running) {
                failFast.died("the study view (reading the training topics)", e);
            }
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void apply(ConsumerRecord<String, byte[]> r) {
        String key = r.key();
        if (key == null) {
            return;
        }
        try {
            switch (r.topic()) {
                case "training.jobs" -> {
                    if (r.value() == null) {
                        jobs.remove(key);
                    } else {
                        TrainingJob job = Topics.TRAINING_JOBS.valueSerde().deserializer().deserialize(r.topic(), r.value());
                        if (!key.equals(job.jobId())) {
                            throw new IllegalArgumentException("key " + Ids.shown(key) + " is not the job id");
                        }
                        jobs.put(key, job.validated());
                    }
                }
                case "training.cancellations" -> {
                    if (r.value() != null) {
                        ExperimentCancellation c = Topics.TRAINING_CANCELLATIONS.valueSerde().deserializer()
                                .deserialize(r.topic(), r.value());
                        if (!key.equals(c.experimentId())) {
                            throw new IllegalArgumentException("key " + Ids.shown(key) + " is not the experiment id");
                        }
                        cancellations.put(key, c);
                        for (Consumer<ExperimentCancellation> l : cancellationListeners) {
                            try {
                                l.accept(c);
                            } catch (RuntimeException e) {
                                LOG.warnf(e, "cancellation listener failed on %s", key);
                            }
                        }
                    }
                }
                case "training.metrics" -> {
                    if (r.value() != null) {
                        EpochMetrics m = Topics.TRAINING_METRICS.valueSerde().deserializer().deserialize(r.topic(), r.value());
                        // A resumed run may publish an epoch again: the latest copy wins.
                        metrics.computeIfAbsent(key, k -> new ConcurrentSkipListMap<>()).put(m.epoch(), m);
                    }
                }
                case "training.results" -> {
                    if (r.value() != null) {
                        TrainingResult result = Topics.TRAINING_RESULTS.valueSerde().deserializer().deserialize(r.topic(), r.value());
                        results.put(key, result);
                        for (Consumer<TrainingResult> l : resultListeners) {
                            try {
                                l.accept(result);
                            } catch (RuntimeException e) {
                                LOG.warnf(e, "result listener failed on %s", key);
                            }
                        }
                    }
                }
                case "imdb.vocab" -> {
                    if (r.value() == null) {
                        manifests.remove(key);
                    } else {
                        manifests.put(key, Topics.VOCAB.valueSerde().deserializer().deserialize(r.topic(), r.value()));
                        synchronized (progress) {
                            progress.notifyAll();
                        }
                    }
                }
                default -> {
                }
            }
        } catch (RuntimeException e) {
            LOG.warnf("skipping unreadable or unsafe record %s-%d@%d: %s", r.topic(), r.partition(), r.offset(),
                    e.getMessage());
        }
    }

    /**
     * Waits until this view has applied everything that was on the given topics when the call began, so
     * that a following lookup sees every record written before it.
     */
    public void awaitCaughtUp(Collection<String> topics, Duration timeout) throws InterruptedException, TimeoutException {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        for (TopicPartition tp : assigned) {
            if (topics.contains(tp.topic())) {
                request.put(tp, OffsetSpec.latest());
            }
        }
        if (request.isEmpty()) {
            throw new IllegalStateException("the study view does not read " + topics);
        }
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends;
        try {
            ends = clients.admin().listOffsets(request).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot list the end offsets of " + topics + ": " + e.getMessage(), e);
        }
        try {
            waitFor(() -> ends.entrySet().stream()
                    .allMatch(e -> e.getValue().offset() == 0
                            || positions.getOrDefault(e.getKey(), -1L) >= e.getValue().offset()), timeout);
        } catch (TimeoutException e) {
            Map<TopicPartition, Long> endOffsets = new HashMap<>();
            ends.forEach((tp, info) -> endOffsets.put(tp, info.offset()));
            throw new TimeoutException("the study view did not catch up within " + timeout + ": read up to "
                    + positions + ", ends " + endOffsets);
        }
    }

    private void waitFor(BooleanSupplier condition, Duration timeout)
            throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (progress) {
            while (!condition.getAsBoolean()) {
                if (failure != null) {
                    throw new IllegalStateException("the study view failed: " + failure.getMessage(), failure);
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new TimeoutException("the study view did not catch up within " + timeout);
                }
                progress.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            }
        }
    }

    /** Waits for the manifest of a data set to appear on imdb.vocab. */
    public VocabularyRecord awaitManifest(String datasetId, Duration timeout) throws InterruptedException, TimeoutException {
        try {
            waitFor(() -> manifests.containsKey(datasetId), timeout);
        } catch (TimeoutException e) {
            throw new TimeoutException("no manifest of data set " + datasetId + " on " + Topics.VOCAB.name()
                    + " within " + timeout);
        }
        return manifests.get(datasetId);
    }

    /** The most recently created data set manifest. */
    public Optional<VocabularyRecord> latestManifest() {
        return manifests.values().stream().max(Comparator.comparingLong(VocabularyRecord::createdAtMs));
    }

    public Optional<VocabularyRecord> manifest(String datasetId) {
        return Optional.ofNullable(manifests.get(datasetId));
    }

    public Optional<TrainingResult> result(String jobId) {
        return Optional.ofNullable(results.get(jobId));
    }

    /** The cancellation of an experiment, if it was cancelled. */
    public Optional<ExperimentCancellation> cancellation(String experimentId) {
        return Optional.ofNullable(cancellations.get(experimentId));
    }

    public Optional<TrainingJob> job(String jobId) {
        return Optional.ofNullable(jobs.get(jobId));
    }

    /** Epoch metrics of a run, by epoch. */
    public List<EpochMetrics> epochs(String jobId) {
        NavigableMap<Integer, EpochMetrics> m = metrics.get(jobId);
        return m == null ? List.of() : List.copyOf(m.values());
    }

    public List<TrainingJob> jobsOf(String experimentId) {
        return jobs.values().stream().filter(j -> experimentId.equals(j.experimentId()))
                .sorted(Comparator.comparing(TrainingJob::jobId)).toList();
    }

    public Set<String> experimentIds() {
        Set<String> ids = new TreeSet<>();
        for (TrainingJob j : jobs.values()) {
            ids.add(j.experimentId());
        }
        return ids;
    }

    public List<TrainingResult> resultsOf(String experimentId) {
        return results.values().stream().filter(r -> experimentId.equals(r.experimentId()))
                .sorted(Comparator.comparing(TrainingResult::jobId)).toList();
    }
}
