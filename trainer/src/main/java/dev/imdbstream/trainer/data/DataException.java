package dev.imdbstream.trainer.data;

/** A run's data is missing or unusable; the run fails with this message as its reason. */
public class DataException extends Exception {

    public DataException(String message) {
        super(message);
    }

    public DataException(String message, Throwable cause) {
        super(message, cause);
    }
}
