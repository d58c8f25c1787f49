package io.rewardgate.jobs;

/**
 * A file kept for batches: an uploaded input ({@code purpose} {@code batch}) or a batch's output or errors
 * ({@code batch_output}). Times are Unix seconds.
 *
 * @param owner the client key's name that uploaded it, or {@code null} when no keys are configured
 * @param lines its non-blank lines: the requests of an input, the results of an output
 * @param createdMillis when it was stored, in Unix milliseconds: the order of files stored within a second
 */
public record StoredFile(String id, long bytes, long createdAt, String filename, String purpose, long expiresAt,
        String owner, int lines, long createdMillis) {

    public static final String BATCH = "batch";
    public static final String BATCH_OUTPUT = "batch_output";
}
