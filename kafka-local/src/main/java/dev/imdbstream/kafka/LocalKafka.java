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
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.properties.MetaPropertiesEnsemble;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.imdbstream.common.kafka.KafkaSecurity;
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
 * <p>{@link #startSecured} runs the node as a secured production cluster would: TLS everywhere, certificates from a
 * {@link LocalPki}; clients authenticate with SCRAM-SHA-512 on the SASL_SSL listener ({@link #bootstrapServers()}) or
 * with a client certificate on the SSL listener ({@link #tlsBootstrapServers()}, mutual TLS, {@code CN=<user>} is the
 * user); Kafka's {@code StandardAuthorizer} denies whatever no ACL allows. The broker and {@code admin} (a certificate
 * of the same CA) are super users; {@link #admin()} is such a client, which creates users ({@link #addScramUser}),
 * ACLs ({@link #createAcls}) and topics.
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
    /** The super user that sets a secured node up, authenticated by its certificate. */
    public static final String ADMIN = "admin";
    /** Generous: a cold JVM on a machine busy with builds starts slowly. */
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(30);

    private final KafkaRaftServer server;
    private final String bootstrapServers;
    private final Path dir;
    private final LocalPki pki;
    private final String tlsBootstrapServers;
    private boolean closed;

    private LocalKafka(KafkaRaftServer server, String bootstrapServers, Path dir, LocalPki pki, String tlsBootstrapServers) {
        this.server = server;
        this.bootstrapServers = bootstrapServers;
        this.dir = dir;
        this.pki = pki;
        this.tlsBootstrapServers = tlsBootstrapServers;
    }

    /** Starts a node storing its data under {@code dir}, its client listener on a free port. */
    public static LocalKafka start(Path dir) {
        return start(dir, freePort());
    }

    /**
     * Starts a node storing its data under {@code dir} with its client listener on {@code port}, and returns
     * once an admin client sees it in the cluster.
     *
     * @throws IllegalStateException when it cannot be formatted, started or reached within 120 seconds
     */
    public static LocalKafka start(Path dir, int port) {
        return start(dir, port, null);
    }

    /**
     * Starts a secured node storing its data under {@code dir}: SASL_SSL (SCRAM-SHA-512) on a free port, SSL with
     * client certificates required on another, ACLs enforced, certificates of {@code pki}.
     */
    public static LocalKafka startSecured(Path dir, LocalPki pki) {
        return start(dir, freePort(), pki);
    }

    /** As {@link #startSecured(Path, LocalPki)}, the SASL_SSL listener on {@code port}. */
    public static LocalKafka startSecured(Path dir, int port, LocalPki pki) {
        return start(dir, port, pki);
    }

    private static LocalKafka start(Path dir, int port, LocalPki pki) {
        long started = System.nanoTime();
        long deadline = started + STARTUP_TIMEOUT.toNanos();
        Path dataDir = dir.toAbsolutePath().resolve("data");
        int controllerPort = freePort(port);
        int tlsPort = pki == null ? -1 : freePort(port, controllerPort);
        Properties settings = settings(dataDir, port, controllerPort);
        if (pki != null) {
            settings.putAll(securedSettings(pki, port, tlsPort, controllerPort));
        }
        KafkaConfig config = KafkaConfig.fromProps(settings);
        formatIfNeeded(dataDir);

        String bootstrap = HOST + ":" + port;
        String tlsBootstrap = pki == null ? null : HOST + ":" + tlsPort;
        KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
        LocalKafka kafka = new LocalKafka(server, bootstrap, dir, pki, tlsBootstrap);
        try {
            // Blocks until the broker is registered and unfenced, bounded by server.max.startup.time.ms.
            server.startup();
            kafka.awaitClusterVisible(Duration.ofNanos(Math.max(deadline - System.nanoTime(), 1_000_000_000L)));
        } catch (RuntimeException e) {
            kafka.close();
            throw new IllegalStateException("Kafka on " + bootstrap + " (data " + dataDir + ") did not start: "
                    + e.getMessage(), e);
        }
        LOG.info("Kafka {} ready on {}{} (data {}) in {} ms", kafkaVersion(), bootstrap,
                pki == null ? "" : " (SASL_SSL; mutual TLS on " + tlsBootstrap + ")", dataDir,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        return kafka;
    }

    /** The {@code bootstrap.servers} value clients use to reach this node (the SASL_SSL listener when secured). */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** The listener of clients authenticated by their certificate (mutual TLS), when secured. */
    public Optional<String> tlsBootstrapServers() {
        return Optional.ofNullable(tlsBootstrapServers);
    }

    /** The certificates of a secured node. */
    public Optional<LocalPki> pki() {
        return Optional.ofNullable(pki);
    }

    /** How a client reaches this node: plaintext, or as {@link #ADMIN} by certificate when secured. */
    public KafkaSecurity adminSecurity() {
        return pki == null ? KafkaSecurity.plaintext() : KafkaSecurity.from(name -> Optional.ofNullable(
                pki.mutualTlsSettings(ADMIN).get(name)));
    }

    /** The settings of a client of a secured node authenticated as {@code user} with SCRAM-SHA-512 over TLS. */
    public Map<String, String> scramSettings(String user, String password) {
        Map<String, String> s = new HashMap<>(securedPki().trustSettings());
        s.put(KafkaSecurity.PROTOCOL, "SASL_SSL");
        s.put(KafkaSecurity.SASL_MECHANISM, "SCRAM-SHA-512");
        s.put(KafkaSecurity.SASL_USERNAME, user);
        s.put(KafkaSecurity.SASL_PASSWORD, password);
        return s;
    }

    /** An admin client of this node (a super user when secured); the caller closes it. */
    public Admin admin() {
        Map<String, Object> props = new HashMap<>();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, pki == null ? bootstrapServers : tlsBootstrapServers);
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, "local-kafka-admin");
        return Admin.create(adminSecurity().applyTo(props));
    }

    /** Creates or replaces the SCRAM-SHA-512 credentials of {@code user} on a secured node. */
    public void addScramUser(String user, String password) {
        try (Admin admin = admin()) {
            admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(user,
                    new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192), password)))
                    .all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot add the SCRAM user " + user + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Creates ACLs (as {@link #ADMIN}); existing ones are kept. */
    public void createAcls(Collection<AclBinding> acls) {
        try (Admin admin = admin()) {
            admin.createAcls(acls).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot create ACLs: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private LocalPki securedPki() {
        if (pki == null) {
            throw new IllegalStateException("Kafka on " + bootstrapServers + " is not secured");
        }
        return pki;
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

    /**
     * Listeners SASL_SSL (SCRAM) for services, SSL for certificate users, the broker itself and the controller; all
     * with the broker's certificate, client certificates required except on SASL_SSL.
     */
    private static Map<String, String> securedSettings(LocalPki pki, int port, int tlsPort, int controllerPort) {
        String scram = "org.apache.kafka.common.security.scram.ScramLoginModule required;";
        return Map.ofEntries(
                Map.entry("listeners", "SASL_SSL://" + HOST + ":" + port + ",SSL://" + HOST + ":" + tlsPort + ","
                        + CONTROLLER_LISTENER + "://" + HOST + ":" + controllerPort),
                Map.entry("advertised.listeners", "SASL_SSL://" + HOST + ":" + port + ",SSL://" + HOST + ":" + tlsPort),
                Map.entry("inter.broker.listener.name", "SSL"),
                Map.entry("listener.security.protocol.map", "SASL_SSL:SASL_SSL,SSL:SSL," + CONTROLLER_LISTENER + ":SSL"),
                Map.entry("ssl.keystore.location", pki.keystore(LocalPki.BROKER).toString()),
                Map.entry("ssl.keystore.password", pki.password()),
                Map.entry("ssl.key.password", pki.password()),
                Map.entry("ssl.keystore.type", "PKCS12"),
                Map.entry("ssl.truststore.location", pki.truststore().toString()),
                Map.entry("ssl.truststore.password", pki.password()),
                Map.entry("ssl.truststore.type", "PKCS12"),
                Map.entry("ssl.client.auth", "required"),
                Map.entry("listener.name.sasl_ssl.ssl.client.auth", "none"),
                Map.entry("sasl.enabled.mechanisms", "SCRAM-SHA-512"),
                Map.entry("listener.name.sasl_ssl.sasl.enabled.mechanisms", "SCRAM-SHA-512"),
                Map.entry("listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config", scram),
                // A certificate's CN=trainer is the user trainer, as the same user over SCRAM.
                Map.entry("ssl.principal.mapping.rules", "RULE:^CN=([^,]+)$/$1/,DEFAULT"),
                Map.entry("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer"),
                Map.entry("super.users", "User:" + LocalPki.BROKER + ";User:" + ADMIN),
                Map.entry("allow.everyone.if.no.acl.found", "false"));
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

    private void awaitClusterVisible(Duration timeout) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, pki == null ? bootstrapServers : tlsBootstrapServers);
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, "local-kafka-readiness");
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        try (Admin admin = Admin.create(adminSecurity().applyTo(props))) {
            var nodes = admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) timeout.toMillis()))
                    .nodes().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (nodes.stream().map(Node::id).noneMatch(id -> id == NODE_ID)) {
                throw new IllegalStateException("node " + NODE_ID + " missing from the cluster: " + nodes);
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("no admin client could describe the cluster within "
                    + timeout.toSeconds() + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the cluster", e);
        }
    }

    /** A free port other than {@code taken}. */
    private static int freePort(int... taken) {
        while (true) {
            int port = freePort();
            if (java.util.Arrays.stream(taken).noneMatch(t -> t == port)) {
                return port;
            }
        }
    }

    /** A port free on 127.0.0.1 at this moment: for the broker, and for the services that tests start beside it. */
    public static int freePort() {
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
