import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import dev.imdbstream.common.kafka.KafkaSecurity;

/**
 * Produces each line of a file, as its raw bytes, to the {@code reviews} topic, ROUNDS times with a pause between
 * rounds, so that rates and latencies have data over several scrapes. Keys are {@code check-<round>-<line>}.
 * Malformed lines are sent too: they exercise the scorer's dead-letter path.
 * Kafka security as every client of the project: {@link KafkaSecurity} from the environment ({@code KAFKA_SECURITY_PROTOCOL},
 * {@code KAFKA_SASL_USERNAME}, ...). Usage: {@code java -cp <the common jar, kafka-clients and their dependencies>
 * SendReviews.java BOOTSTRAP FILE ROUNDS PAUSE_MS}
 */
public class SendReviews {

    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: SendReviews BOOTSTRAP FILE ROUNDS PAUSE_MS");
            System.exit(2);
        }
        List<String> lines = Files.readAllLines(Path.of(args[1]), StandardCharsets.UTF_8);
        int rounds = Integer.parseInt(args[2]);
        long pauseMs = Long.parseLong(args[3]);
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, args[0]);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 60_000);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000);
        KafkaSecurity.fromEnvironment().applyTo(props);
        int sent = 0;
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (int r = 0; r < rounds; r++) {
                for (int i = 0; i < lines.size(); i++) {
                    byte[] key = ("check-" + r + "-" + i).getBytes(StandardCharsets.UTF_8);
                    producer.send(new ProducerRecord<>("reviews", key, lines.get(i).getBytes(StandardCharsets.UTF_8))).get();
                    sent++;
                }
                if (r + 1 < rounds) {
                    Thread.sleep(pauseMs);
                }
            }
        }
        System.out.println(sent);
    }
}
