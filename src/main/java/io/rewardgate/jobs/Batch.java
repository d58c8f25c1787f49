package io.rewardgate.jobs;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A batch job as OpenAI's Batch API describes it, and who owns it. Times are Unix seconds; each status's time
 * is set when the batch enters it.
 *
 * @param ending the status a batch that is {@code finalizing} or {@code cancelling} ends in
 * @param owner the client key's name that created it, or {@code null} when no keys are configured
 * @param createdMillis when it was created, in Unix milliseconds: the order of batches created within a second
 */
public record Batch(String id, String endpoint, String inputFileId, String completionWindow, Status status,
        String outputFileId, String errorFileId, long createdAt, Long inProgressAt, long expiresAt,
        Long finalizingAt, Long completedAt, Long failedAt, Long expiredAt, Long cancellingAt, Long cancelledAt,
        Counts requestCounts, Map<String, String> metadata, List<LineError> errors, Status ending, String owner,
        long createdMillis) {

    /** OpenAI's batch statuses. */
    public enum Status {
        VALIDATING, FAILED, IN_PROGRESS, FINALIZING, COMPLETED, EXPIRED, CANCELLING, CANCELLED;

        /** The status as the API writes it. */
        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** Whether a batch in this status will not change again. */
        public boolean finished() {
            return this == FAILED || this == COMPLETED || this == EXPIRED || this == CANCELLED;
        }
    }

    /** Requests in the input file, and those answered so far, with scores or with an error. */
    public record Counts(int total, int completed, int failed) {

        /** The requests answered, with scores or with an error. */
        public int answered() {
            return completed + failed;
        }
    }

    /** Why the input file failed validation: OpenAI's batch error, with its 1-based line. */
    public record LineError(String code, Integer line, String message, String param) {}

    static Batch created(String id, String endpoint, String inputFileId, String completionWindow, long nowMillis,
            long expiresAt, Map<String, String> metadata, String owner) {
        return new Batch(id, endpoint, inputFileId, completionWindow, Status.VALIDATING, null, null, nowMillis / 1000,
                null, expiresAt, null, null, null, null, null, null, new Counts(0, 0, 0), metadata, null, null, owner,
                nowMillis);
    }

    /** The batch in {@code status} from {@code at}. */
    public Batch moved(Status status, long at) {
        return new Batch(id, endpoint, inputFileId, completionWindow, status, outputFileId, errorFileId, createdAt,
                status == Status.IN_PROGRESS ? Long.valueOf(at) : inProgressAt, expiresAt,
                status == Status.FINALIZING ? Long.valueOf(at) : finalizingAt,
                status == Status.COMPLETED ? Long.valueOf(at) : completedAt,
                status == Status.FAILED ? Long.valueOf(at) : failedAt,
                status == Status.EXPIRED ? Long.valueOf(at) : expiredAt,
                status == Status.CANCELLING ? Long.valueOf(at) : cancellingAt,
                status == Status.CANCELLED ? Long.valueOf(at) : cancelledAt,
                requestCounts, metadata, errors, ending, owner, createdMillis);
    }

    public Batch endingAs(Status ending) {
        return new Batch(id, endpoint, inputFileId, completionWindow, status, outputFileId, errorFileId, createdAt,
                inProgressAt, expiresAt, finalizingAt, completedAt, failedAt, expiredAt, cancellingAt, cancelledAt,
                requestCounts, metadata, errors, ending, owner, createdMillis);
    }

    public Batch counted(Counts counts) {
        return new Batch(id, endpoint, inputFileId, completionWindow, status, outputFileId, errorFileId, createdAt,
                inProgressAt, expiresAt, finalizingAt, completedAt, failedAt, expiredAt, cancellingAt, cancelledAt,
                counts, metadata, errors, ending, owner, createdMillis);
    }

    public Batch withFiles(String outputFileId, String errorFileId) {
        return new Batch(id, endpoint, inputFileId, completionWindow, status, outputFileId, errorFileId, createdAt,
                inProgressAt, expiresAt, finalizingAt, completedAt, failedAt, expiredAt, cancellingAt, cancelledAt,
                requestCounts, metadata, errors, ending, owner, createdMillis);
    }

    public Batch ownedBy(String owner) {
        return new Batch(id, endpoint, inputFileId, completionWindow, status, outputFileId, errorFileId, createdAt,
                inProgressAt, expiresAt, finalizingAt, completedAt, failedAt, expiredAt, cancellingAt, cancelledAt,
                requestCounts, metadata, errors, ending, owner, createdMillis);
    }

    public Batch withErrors(List<LineError> errors) {
        return new Batch(id, endpoint, inputFileId, completionWindow, status, outputFileId, errorFileId, createdAt,
                inProgressAt, expiresAt, finalizingAt, completedAt, failedAt, expiredAt, cancellingAt, cancelledAt,
                requestCounts, metadata, errors, ending, owner, createdMillis);
    }
}
