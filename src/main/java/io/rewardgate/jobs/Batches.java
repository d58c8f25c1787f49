package io.rewardgate.jobs;

import java.util.List;
import java.util.Map;

/**
 * The batches of the Batch API, whichever store keeps them: {@link BatchRunner} on this process's volume, or
 * {@link SharedBatches} in Redis for every replica. {@link JobsProducer} gives the configured one.
 */
public interface Batches {

    /**
     * Creates a batch over {@code inputFileId} and starts it; refused while {@code owner} has
     * {@code rewardgate.jobs.max-active-batches} validating or in progress, or the jobs volume is below its
     * free-space floor.
     */
    Batch create(String inputFileId, String endpoint, String completionWindow, Map<String, String> metadata,
            String owner);

    /** The batch as it is now, if {@code owner} may see it. */
    Batch get(String id, String owner);

    /**
     * Up to {@code limit} of {@code owner}'s batches, newest first, after the one whose id is {@code after} (from
     * the first when {@code null}; an id not in the list is an invalid request).
     */
    Page list(String owner, String after, int limit);

    /**
     * Cancels a batch that is validating or in progress: no line starts after this, the lines waiting for the
     * backend are dropped, those already at the backend finish and are kept, and the batch ends
     * {@code cancelled} with the output of what was answered.
     */
    Batch cancel(String id, String owner);

    /**
     * Deletes a file, unless it is the input of a batch that has not ended: that batch reads it again to
     * resume after a restart and to list what it did not answer. Whether {@code owner} had a file of that id.
     */
    boolean deleteFile(String id, String owner);

    /** Gives every batch of {@code from} to {@code to}: a key that was renamed keeps its batches. How many. */
    int renameOwner(String from, String to);

    /** A page of batches, and whether more follow it. */
    record Page(List<Batch> batches, boolean hasMore) {

        /** The page of {@code sorted} (newest first) after {@code after}. */
        static Page of(List<Batch> sorted, String after, int limit) {
            int start = 0;
            if (after != null) {
                start = -1;
                for (int i = 0; i < sorted.size(); i++) {
                    if (sorted.get(i).id().equals(after)) {
                        start = i + 1;
                        break;
                    }
                }
                if (start < 0) {
                    throw new JobsException(JobsException.Kind.INVALID, "after names no item of this list.", "after");
                }
            }
            int end = Math.min(sorted.size(), start + limit);
            return new Page(List.copyOf(sorted.subList(start, end)), end < sorted.size());
        }
    }
}
