package dev.imdbstream.common.data;

import java.io.IOException;

/**
 * A data file that is missing, corrupt or not in the expected format. The message names the file (and the
 * entry inside an archive) so that a user can tell what to fix without a stack trace.
 */
public class DataFileException extends IOException {

    public DataFileException(String message) {
        super(message);
    }

    public DataFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
