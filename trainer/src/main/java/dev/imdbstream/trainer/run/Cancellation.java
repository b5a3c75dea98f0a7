package dev.imdbstream.trainer.run;

/**
 * Asks a run to stop at its next mini-batch. {@link #cancel} stops it without publishing a result (its job's
 * partition moved to another instance, or the service is shutting down): the latest checkpoint stays on disk and the
 * job is trained again later. {@link #withdraw} stops it for good (its experiment was cancelled): it ends with a
 * {@code CANCELLED} result and is never tried again. A withdrawal outranks a plain cancellation.
 */
public final class Cancellation {

    private volatile String reason;
    private volatile boolean withdrawn;

    public void cancel(String why) {
        if (!withdrawn) {
            reason = why;
        }
    }

    /** The run's experiment was cancelled: stop and end the run as {@code CANCELLED}. */
    public void withdraw(String why) {
        withdrawn = true;
        reason = why;
    }

    public boolean cancelled() {
        return reason != null;
    }

    /** Whether the run was withdrawn (its experiment cancelled). */
    public boolean withdrawn() {
        return withdrawn;
    }

    /** Throws when the run was asked to stop. */
    public void check() throws CancelledException {
        String r = reason;
        if (r != null) {
            throw new CancelledException(r, withdrawn);
        }
    }

    /** The run stopped because it was asked to; nothing was published. */
    public static final class CancelledException extends Exception {

        private final boolean withdrawn;

        public CancelledException(String reason, boolean withdrawn) {
            super(reason);
            this.withdrawn = withdrawn;
        }

        /** The run's experiment was cancelled: the run ends as {@code CANCELLED} instead of being tried again. */
        public boolean withdrawn() {
            return withdrawn;
        }
    }
}
