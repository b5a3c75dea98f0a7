package dev.imdbstream.kafka;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a {@link LocalKafka} node in its own JVM until it is told to stop (SIGTERM, Ctrl-C), for the local run
 * and the benchmarks: {@code --dir <path>} (default {@code run/kafka}), {@code --port <n>} (default 9092),
 * {@code --secure}: a secured node ({@link LocalKafka#startSecured}: SASL_SSL on the port, mutual TLS on another, ACLs)
 * with its certificates in {@code <dir>/pki} and, set up by {@link LocalSecurity}, every topic, user and ACL; each
 * user's settings in {@code <dir>/clients/<user>.env}.
 *
 * <p>Prints one line {@code READY <bootstrap servers>} on standard output once clients can use the node; broker
 * logs go to {@code <dir>/logs/server.log}, warnings also to standard error. Exits with 1 when the node cannot
 * start and 2 on bad arguments. {@code bin/kafka-local.sh} starts and stops it in the background.
 */
public final class LocalKafkaMain {

    private static final String USAGE = "usage: LocalKafkaMain [--dir <path>] [--port <n>] [--secure]  (defaults run/kafka, 9092)";

    private LocalKafkaMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        Path dir = Path.of("run/kafka");
        int port = 9092;
        boolean secure = false;
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--dir" -> dir = Path.of(args[++i]);
                    case "--port" -> port = Integer.parseInt(args[++i]);
                    case "--secure" -> secure = true;
                    case "-h", "--help" -> {
                        System.out.println(USAGE);
                        return;
                    }
                    default -> throw new IllegalArgumentException("unknown argument " + args[i]);
                }
            }
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port out of range: " + port);
            }
        } catch (RuntimeException e) {
            System.err.println(e.getMessage() + "\n" + USAGE);
            System.exit(2);
        }
        dir = dir.toAbsolutePath();

        // Before the first logger exists: Log4j reads these once, when it initialises.
        System.setProperty("kafka.local.log.dir", dir.resolve("logs").toString());
        if (System.getProperty("log4j2.configurationFile") == null) {
            System.setProperty("log4j2.configurationFile", "kafka-local-log4j2.xml");
        }
        Logger log = LoggerFactory.getLogger(LocalKafkaMain.class);

        LocalKafka kafka;
        try {
            if (secure) {
                kafka = LocalKafka.startSecured(dir, port, LocalPki.create(dir.resolve("pki"), LocalSecurity.certificateNames()));
                LocalSecurity.setUp(kafka, dir.resolve("clients"));
                log.info("Secured: SASL_SSL on {}, mutual TLS on {}; users' settings in {}", kafka.bootstrapServers(),
                        kafka.tlsBootstrapServers().orElseThrow(), dir.resolve("clients"));
            } else {
                kafka = LocalKafka.start(dir, port);
            }
        } catch (RuntimeException e) {
            log.error("Kafka did not start", e);
            org.apache.logging.log4j.LogManager.shutdown();
            System.exit(1);
            return;
        }

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("Stopping Kafka on {}", kafka.bootstrapServers());
            kafka.close();
            stopped.countDown();
            // Log4j's own hook is off (see kafka-local-log4j2.xml) so the lines above still reach the log.
            org.apache.logging.log4j.LogManager.shutdown();
        }, "local-kafka-main-shutdown"));

        System.out.println("READY " + kafka.bootstrapServers());
        System.out.flush();
        stopped.await();
    }
}
