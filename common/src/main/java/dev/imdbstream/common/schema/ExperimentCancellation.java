package dev.imdbstream.common.schema;

/**
 * Value of the compacted {@code training.cancellations} (key: experiment id), schema v1: the experiment was
 * cancelled ({@code DELETE /experiments/{id}}). Every trainer instance reads the whole topic: its runs of the
 * experiment stop at their next mini-batch, its queued jobs are not started, and each ends with a {@code CANCELLED}
 * result on {@code training.results}, which is never retried.
 *
 * @param requestedBy the authenticated caller, for the audit trail
 */
public record ExperimentCancellation(int schemaVersion, String experimentId, String requestedBy, long requestedAtMs) {

    public static final int VERSION = 1;
}
