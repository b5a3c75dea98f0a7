package dev.imdbstream.trainer.run;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.PriorityQueue;
import java.util.Queue;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

import dev.imdbstream.common.kafka.Topics;
import dev.imdbstream.common.schema.Ids;
import dev.imdbstream.common.schema.TrainingJob;
import dev.imdbstream.trainer.config.TrainerConfig;
import dev.imdbstream.trainer.kafka.KafkaClients;
import dev.imdbstream.trainer.process.FailFast;

/**
 * This instance's member of the trainers' consumer group on {@code training.jobs}: takes a job only when
 * one of its {@code trainer.runs.parallel} slots is free, and otherwise keeps polling with every partition
 * paused, so a run of any length never exceeds {@code max.poll.interval.ms}. A job's offset is committed
 * only after its run published its result (or was found already trained), and never past an earlier job of
 * the same partition that is still running: a crash redelivers exactly the unfinished jobs. When a
 * partition moves to another instance, its runs here are cancelled (their checkpoints stay on disk).
 * <p>
 * Jobs read and not yet started wait here, largest subset first: the longest runs of a grid start first instead of
 * finishing last, alone on a machine with free slots. At most {@link #LOOKAHEAD} jobs wait; beyond that the
 * partitions are paused. Waiting jobs are uncommitted, so a crash or a rebalance gives them back to the group.
 */
@ApplicationScoped
public class JobConsumer {

    private static final Logger LOG = Logger.getLogger(JobConsumer.class);

    /** Jobs read ahead of the free slots, to choose the largest among them. */
    static final int LOOKAHEAD = 256;

    /** Largest subset first; then the older experiment, then the job id (a stable order). */
    static final Comparator<TrainingJob> ORDER = Comparator.comparingInt(TrainingJob::subsetSize).reversed()
            .thenComparingLong(TrainingJob::createdAtMs).thenComparing(TrainingJob::jobId);

    private final KafkaClients clients;
    private final RunExecutor executor;
    private final TrainerConfig config;
    private final FailFast failFast;
    private final RunMetrics metrics;

    /** Filled by run threads, drained by the consumer thread (the only one touching the consumer). */
    private final Queue<Done> completions = new ConcurrentLinkedQueue<>();
    /** Consumer-thread state: offsets dispatched and not finished, and the next offset, per partition. */
    private final Map<TopicPartition, NavigableSet<Long>> pending = new HashMap<>();
    private final Map<TopicPartition, Long> next = new HashMap<>();
    private final Map<TopicPartition, Long> committed = new HashMap<>();
    private final Map<TopicPartition, Map<Long, Cancellation>> running = new HashMap<>();
    private final PriorityQueue<Waiting> waiting = new PriorityQueue<>(
            Comparator.comparing(Waiting::job, ORDER));

    private volatile KafkaConsumer<String, byte[]> consumer;
    private volatile Thread thread;
    private volatile boolean stopping;
    private volatile Throwable failure;

    /** @param finished the job's result is on training.results (or the record was unusable): commit it */
    private record Done(TopicPartition partition, long offset, boolean finished) {
    }

    /** A job read and not started: its offset is pending. */
    private record Waiting(TopicPartition partition, long offset, TrainingJob job) {
    }

    public JobConsumer(KafkaClients clients, RunExecutor executor, TrainerConfig config, FailFast failFast,
            RunMetrics metrics) {
        this.clients = clients;
        this.executor = executor;
        this.config = config;
        this.failFast = failFast;
        this.metrics = metrics;
    }

    public synchronized void start() {
        if (thread != null) {
            return;
        }
        stopping = false;
        consumer = clients.jobConsumer("trainer-jobs", LOOKAHEAD);
        thread = new Thread(this::loop, "job-consumer");
        thread.setDaemon(true);
        thread.start();
    }

    /** Stops taking jobs, cancels this instance's runs, commits what finished, and leaves the group. */
    public synchronized void stop() {
        if (thread == null) {
            return;
        }
        stopping = true;
        consumer.wakeup();
        try {
            thread.join(60_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        thread = null;
    }

    public boolean healthy() {
        Thread t = thread;
        return t != null && t.isAlive() && failure == null;
    }

    /** Runs of this instance not yet ended (cancelled runs count until they stopped). */
    private int inFlight() {
        return running.values().stream().mapToInt(Map::size).sum();
    }

    private void loop() {
        try {
            consumer.subscribe(List.of(Topics.TRAINING_JOBS.name()), new Rebalance());
            while (!stopping) {
                commitFinished();
                if (waiting.size() >= LOOKAHEAD) {
                    consumer.pause(consumer.assignment());
                } else if (!consumer.paused().isEmpty()) {
                    consumer.resume(consumer.paused());
                }
                try {
                    for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(250))) {
                        dispatch(r);
                    }
                } catch (WakeupException e) {
                    // stop() woke us up; the loop condition decides.
                }
                if (!stopping) {
                    startWaiting();
                }
            }
            shutdown();
        } catch (RuntimeException e) {
            failure = e;
            if (!stopping) {
                failFast.died("the job consumer", e);
            }
        } finally {
            consumer.close(Duration.ofSeconds(10));
        }
    }

    private void dispatch(ConsumerRecord<String, byte[]> r) {
        TopicPartition tp = new TopicPartition(r.topic(), r.partition());
        pending.computeIfAbsent(tp, k -> new TreeSet<>()).add(r.offset());
        next.put(tp, r.offset() + 1);
        TrainingJob job;
        try {
            if (r.serializedValueSize() > Topics.SMALL_MESSAGE_BYTES) {
                throw new IllegalArgumentException("record of " + r.serializedValueSize() + " bytes, more than "
                        + Topics.SMALL_MESSAGE_BYTES);
            }
            job = r.value() == null ? null : Topics.TRAINING_JOBS.valueSerde().deserializer().deserialize(r.topic(), r.value());
            // Its ids become checkpoint and report folders and metric labels: unsafe ones are never used.
            if (job != null && !job.validated().jobId().equals(r.key())) {
                throw new IllegalArgumentException("key is not the job id " + job.jobId());
            }
        } catch (RuntimeException e) {
            // Without a readable, safe job there is no run to report on: skip it, visibly.
            LOG.errorf("skipping unreadable or unsafe job %s at %s@%d: %s", Ids.shown(r.key()), tp, r.offset(),
                    e.getMessage());
            metrics.rejected();
            job = null;
        }
        if (job == null) {
            completions.add(new Done(tp, r.offset(), true));
            return;
        }
        waiting.add(new Waiting(tp, r.offset(), job));
    }

    /** Starts the largest waiting jobs while slots are free. */
    private void startWaiting() {
        Waiting w;
        while (inFlight() < config.runs().parallel() && (w = waiting.poll()) != null) {
            start(w.partition(), w.offset(), w.job());
        }
    }

    private void start(TopicPartition tp, long offset, TrainingJob job) {
        Cancellation cancellation = new Cancellation();
        running.computeIfAbsent(tp, k -> new HashMap<>()).put(offset, cancellation);
        String jobId = job.jobId();
        CompletableFuture<Boolean> run = executor.submit(job, cancellation);
        run.whenComplete((finished, error) -> {
            if (error != null) {
                // Not published: the offset stays uncommitted, so the job comes back after a restart.
                LOG.errorf(error, "run %s ended without publishing its result", jobId);
            }
            completions.add(new Done(tp, offset, error == null && finished));
        });
    }

    /** Commits, per partition, everything before the oldest job still running. */
    private void commitFinished() {
        Done done;
        while ((done = completions.poll()) != null) {
            NavigableSet<Long> offsets = pending.get(done.partition());
            Map<Long, Cancellation> runs = running.get(done.partition());
            if (runs != null) {
                runs.remove(done.offset());
            }
            if (offsets != null && done.finished()) {
                offsets.remove(done.offset()); // an unfinished run keeps the commit before it
            }
        }
        Map<TopicPartition, OffsetAndMetadata> commits = new HashMap<>();
        for (TopicPartition tp : next.keySet()) {
            long safe = safeOffset(tp);
            if (safe > committed.getOrDefault(tp, -1L)) {
                commits.put(tp, new OffsetAndMetadata(safe));
            }
        }
        if (commits.isEmpty()) {
            return;
        }
        try {
            consumer.commitSync(commits, config.kafka().requestTimeout());
            commits.forEach((tp, o) -> committed.put(tp, o.offset()));
            LOG.debugf("committed %s", commits);
        } catch (KafkaException e) {
            // Nothing is lost: the same offsets are committed on the next round, or the jobs come back.
            LOG.warnf("commit of %s failed, retrying on the next round: %s", commits, e.getMessage());
        }
    }

    private long safeOffset(TopicPartition tp) {
        NavigableSet<Long> offsets = pending.get(tp);
        return offsets == null || offsets.isEmpty() ? next.get(tp) : offsets.first();
    }

    private void forget(Collection<TopicPartition> partitions, String why) {
        waiting.removeIf(w -> partitions.contains(w.partition()));
        for (TopicPartition tp : partitions) {
            Map<Long, Cancellation> runs = running.remove(tp);
            if (runs != null) {
                runs.values().forEach(c -> c.cancel(why));
            }
            pending.remove(tp);
            next.remove(tp);
            committed.remove(tp);
        }
    }

    private void shutdown() {
        waiting.clear(); // never started: uncommitted, they come back
        List<Cancellation> all = new ArrayList<>();
        running.values().forEach(m -> all.addAll(m.values()));
        all.forEach(c -> c.cancel("the service is stopping"));
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (inFlight() > 0 && System.nanoTime() < deadline) {
            commitFinished();
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        commitFinished();
    }

    /** Runs on the consumer thread inside poll(). */
    private final class Rebalance implements ConsumerRebalanceListener {

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            commitFinished();
            forget(partitions, "partition moved to another trainer instance");
            if (!partitions.isEmpty()) {
                LOG.infof("partitions revoked: %s", partitions);
            }
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            forget(partitions, "partition lost (this instance left the group)");
            LOG.warnf("partitions lost: %s", partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (waiting.size() >= LOOKAHEAD) {
                consumer.pause(partitions);
            }
            if (!partitions.isEmpty()) {
                LOG.infof("partitions assigned: %s", partitions);
            }
        }
    }
}
