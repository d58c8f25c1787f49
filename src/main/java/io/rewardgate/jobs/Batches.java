package io.rewardgate.jobs;

import java.util.List;
import java.util.Map;

/**
 * The batches of the Batch API, whichever store keeps them: {@link BatchRunner} on this process's disk, or
 * {@link SharedBatches} in Redis for every replica. {@link JobsProducer} gives the configured one.
 */
public interface Batches {

    /** Creates a batch over {@code inputFileId} and starts it. */
    Batch create(String inputFileId, String endpoint, String completionWindow, Map<String, String> metadata,
            String owner);

    /** The batch as it is now, if {@code owner} may see it. */
    Batch get(String id, String owner);

    /** {@code owner}'s batches, newest first. */
    List<Batch> list(String owner);

    /**
     * Cancels a batch that is validating or in progress: no line starts after this, the lines in flight finish
     * and are kept, and the batch ends {@code cancelled} with the output of what was answered.
     */
    Batch cancel(String id, String owner);

    /**
     * Deletes a file, unless it is the input of a batch that has not ended: that batch reads it again to
     * resume after a restart and to list what it did not answer. Whether {@code owner} had a file of that id.
     */
    boolean deleteFile(String id, String owner);
}
