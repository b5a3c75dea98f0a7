package dev.imdbstream.trainer.run;

/**
 * Asks a run to stop at its next mini-batch, without publishing a result: its job's partition moved to
 * another instance, or the service is shutting down. The latest checkpoint stays on disk.
 */
public final class Cancellation {

    private volatile String reason;

    public void cancel(String why) {
        reason = why;
    }

    public boolean cancelled() {
        return reason != null;
    }

    /** Throws when the run was asked to stop. */
    public void check() throws CancelledException {
        String r = reason;
        if (r != null) {
            throw new CancelledException(r);
        }
    }

    /** The run stopped because it was asked to; nothing was published. */
    public static final class CancelledException extends Exception {
        public CancelledException(String reason) {
            super(reason);
        }
    }
}
