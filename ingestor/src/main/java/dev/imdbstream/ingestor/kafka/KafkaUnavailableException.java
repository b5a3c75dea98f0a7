package dev.imdbstream.ingestor.kafka;

/** The broker could not be reached, or did not acknowledge every record in time: nothing is presented as complete. */
public class KafkaUnavailableException extends Exception {

    public KafkaUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
