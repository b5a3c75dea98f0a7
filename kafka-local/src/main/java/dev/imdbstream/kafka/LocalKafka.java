package dev.imdbstream.kafka;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.properties.MetaPropertiesEnsemble;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.imdbstream.common.kafka.Topics;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;

/**
 * A real Apache Kafka node in KRaft mode (broker and controller combined, node id 1) running in this JVM on
 * 127.0.0.1, with its storage under a directory of the caller's choosing.
 *
 * <p>The storage is formatted with Kafka's own {@link Formatter} the first time a directory is used and reused
 * afterwards, so a restart on the same directory keeps every topic and record. The settings suit one node:
 * replication factor 1 everywhere (transactions and Kafka Streams {@code exactly_once_v2} work), no automatic
 * topic creation (topics are created explicitly with their settings, see {@link Topics}), records up to
 * {@link Topics#LARGE_MESSAGE_BYTES}, no initial rebalance delay.
 *
 * <p>The quorum is static ({@code controller.quorum.voters}) rather than a {@code --standalone} dynamic one:
 * a dynamic quorum stores the controller's address in the metadata log, which would pin the controller port
 * forever, while this node picks a free one at every start.
 */
public final class LocalKafka implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalKafka.class);

    private static final int NODE_ID = 1;
    private static final String HOST = "127.0.0.1";
    private static final String CONTROLLER_LISTENER = "CONTROLLER";
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(30);

    private final KafkaRaftServer server;
    private final String bootstrapServers;
    private final Path dir;
    private boolean closed;

    private LocalKafka(KafkaRaftServer server, String bootstrapServers, Path dir) {
        this.server = server;
        this.bootstrapServers = bootstrapServers;
        this.dir = dir;
    }

    /** Starts a node storing its data under {@code dir}, its client listener on a free port. */
    public static LocalKafka start(Path dir) {
        return start(dir, freePort());
    }

    /**
     * Starts a node storing its data under {@code dir} with its client listener on {@code port}, and returns
     * once an admin client sees it in the cluster.
     *
     * @throws IllegalStateException when it cannot be formatted, started or reached within 60 seconds
     */
    public static LocalKafka start(Path dir, int port) {
        long started = System.nanoTime();
        Path dataDir = dir.toAbsolutePath().resolve("data");
        int controllerPort = freePort();
        while (controllerPort == port) {
            controllerPort = freePort();
        }
        KafkaConfig config = KafkaConfig.fromProps(settings(dataDir, port, controllerPort));
        formatIfNeeded(dataDir);

        String bootstrap = HOST + ":" + port;
        KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
        LocalKafka kafka = new LocalKafka(server, bootstrap, dir);
        try {
            // Blocks until the broker is registered and unfenced, bounded by server.max.startup.time.ms.
            server.startup();
            awaitClusterVisible(bootstrap);
        } catch (RuntimeException e) {
            kafka.close();
            throw new IllegalStateException("Kafka on " + bootstrap + " (data " + dataDir + ") did not start: "
                    + e.getMessage(), e);
        }
        LOG.info("Kafka {} ready on {} (data {}) in {} ms", kafkaVersion(), bootstrap, dataDir,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        return kafka;
    }

    /** The {@code bootstrap.servers} value clients use to reach this node. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** The directory given to {@link #start(Path)}. */
    public Path dir() {
        return dir;
    }

    /**
     * Stops the node (controlled shutdown, logs flushed) and waits at most 30 seconds for it; a node that takes
     * longer is left to finish on its own and a warning is logged. Calling it again does nothing.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        Thread stopper = new Thread(() -> {
            server.shutdown();
            server.awaitShutdown();
        }, "local-kafka-shutdown");
        stopper.setDaemon(true);
        stopper.start();
        try {
            stopper.join(SHUTDOWN_TIMEOUT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (stopper.isAlive()) {
            LOG.warn("Kafka on {} did not stop within {} s", bootstrapServers, SHUTDOWN_TIMEOUT.toSeconds());
        } else {
            LOG.info("Kafka on {} stopped", bootstrapServers);
        }
    }

    private static Properties settings(Path dataDir, int port, int controllerPort) {
        Properties p = new Properties();
        p.putAll(Map.ofEntries(
                Map.entry("process.roles", "broker,controller"),
                Map.entry("node.id", String.valueOf(NODE_ID)),
                Map.entry("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + controllerPort),
                Map.entry("controller.listener.names", CONTROLLER_LISTENER),
                Map.entry("listeners", "PLAINTEXT://" + HOST + ":" + port + "," + CONTROLLER_LISTENER + "://" + HOST
                        + ":" + controllerPort),
                Map.entry("advertised.listeners", "PLAINTEXT://" + HOST + ":" + port),
                Map.entry("inter.broker.listener.name", "PLAINTEXT"),
                Map.entry("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT"),
                Map.entry("log.dirs", dataDir.toString()),
                Map.entry("metadata.log.dir", dataDir.toString()),

                Map.entry("auto.create.topics.enable", "false"),
                Map.entry("num.partitions", "1"),
                Map.entry("default.replication.factor", "1"),
                Map.entry("min.insync.replicas", "1"),
                Map.entry("offsets.topic.replication.factor", "1"),
                // Fewer internal partitions than the default 50: they are created on first use, one node serves them.
                Map.entry("offsets.topic.num.partitions", "10"),
                Map.entry("transaction.state.log.replication.factor", "1"),
                Map.entry("transaction.state.log.min.isr", "1"),
                Map.entry("transaction.state.log.num.partitions", "10"),
                Map.entry("share.coordinator.state.topic.replication.factor", "1"),
                Map.entry("share.coordinator.state.topic.min.isr", "1"),
                Map.entry("group.initial.rebalance.delay.ms", "0"),

                Map.entry("message.max.bytes", String.valueOf(Topics.LARGE_MESSAGE_BYTES)),
                Map.entry("replica.fetch.max.bytes", String.valueOf(Topics.LARGE_MESSAGE_BYTES)),
                Map.entry("socket.request.max.bytes", String.valueOf(2 * Topics.LARGE_MESSAGE_BYTES)),
                // The cleaner's offset map is allocated up front (128 MiB by default); 16 MiB holds ~500k keys.
                Map.entry("log.cleaner.dedupe.buffer.size", String.valueOf(16 * 1024 * 1024)),
                Map.entry("num.network.threads", "2"),
                Map.entry("num.io.threads", "4"),
                Map.entry("server.max.startup.time.ms", String.valueOf(STARTUP_TIMEOUT.toMillis()))));
        return p;
    }

    private static void formatIfNeeded(Path dataDir) {
        if (Files.exists(dataDir.resolve(MetaPropertiesEnsemble.META_PROPERTIES_NAME))) {
            LOG.info("Reusing formatted Kafka storage {}", dataDir);
            return;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8)) {
            Files.createDirectories(dataDir);
            new Formatter()
                    .setPrintStream(print)
                    .setNodeId(NODE_ID)
                    .setClusterId(Uuid.randomUuid().toString())
                    .setControllerListenerName(CONTROLLER_LISTENER)
                    .setMetadataLogDirectory(dataDir.toString())
                    .setDirectories(List.of(dataDir.toString()))
                    .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                    .run();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create Kafka storage " + dataDir, e);
        } catch (Exception e) {
            throw new IllegalStateException("Cannot format Kafka storage " + dataDir + ": " + e.getMessage(), e);
        }
        LOG.info("Formatted Kafka storage: {}", out.toString(StandardCharsets.UTF_8).strip());
    }

    private static void awaitClusterVisible(String bootstrap) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, "local-kafka-readiness");
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) STARTUP_TIMEOUT.toMillis());
        try (Admin admin = Admin.create(props)) {
            var nodes = admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) STARTUP_TIMEOUT.toMillis()))
                    .nodes().get(STARTUP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            if (nodes.stream().map(Node::id).noneMatch(id -> id == NODE_ID)) {
                throw new IllegalStateException("node " + NODE_ID + " missing from the cluster: " + nodes);
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("no admin client could describe the cluster within "
                    + STARTUP_TIMEOUT.toSeconds() + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the cluster", e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("No free port on " + HOST, e);
        }
    }

    private static String kafkaVersion() {
        return org.apache.kafka.common.utils.AppInfoParser.getVersion();
    }
}
