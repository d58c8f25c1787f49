package io.rewardgate.jobs;

import java.util.Set;

/**
 * Where batches are kept and who runs them, {@code rewardgate.jobs.store}: {@code local} (this process's volume)
 * or {@code redis} (every replica). {@link Batches} does what both share (the checks of a request, the owner
 * rules, the line scheduler, the sweep, the status log and gauges) and asks the store for the rest.
 */
public interface JobStore {

    /** Which store this is. */
    JobsConfig.Store kind();

    /** Starts running the batches kept: their lines go to {@code lines}, their changes of status to {@code statuses}. */
    void start(LineScheduler lines, BatchStatuses statuses);

    /** No batch work starts here any more; lines already at the backend are being drained. */
    void stopping();

    /** What becomes of lines still at the backend when the drain timeout ends, for the log. */
    String undrained();

    /** Stops the store's threads once the lines are drained. */
    void stop();

    /**
     * Keeps a new batch and starts it, unless its owner has {@code max-active-batches} validating or in progress
     * or its input file has gone meanwhile.
     */
    Batch create(Batch batch);

    /** The batch as it is now, its validation errors included, or {@code null}. */
    Batch find(String id);

    /** A page of {@code owner}'s batches, newest first, without their validation errors. */
    Batches.Page page(String owner, String after, int limit);

    /**
     * Moves a batch that may be cancelled to {@code cancelling} and drops its lines that have not reached the
     * backend; the batch as it is then, or {@code null} when it changed meanwhile (then asked again).
     */
    Batch cancel(Batch batch);

    /** Deletes a file of {@code owner}'s unless a batch that has not ended reads it; whether it was deleted. */
    boolean deleteFile(String id, String owner);

    /** Gives every batch of {@code from} to {@code to}; how many. */
    int renameOwner(String from, String to);

    /**
     * One round of the sweep: batches past their window expire, ended ones past their retention go.
     *
     * @return the input files of the batches that have not ended, which the files' sweep keeps
     */
    Set<String> sweep(long nowSeconds);
}
