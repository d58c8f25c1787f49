package io.rewardgate.jobs;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import io.quarkus.arc.All;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.rewardgate.jobs.Batch.Status;

/**
 * The batches of the Batch API, whichever {@link JobStore} keeps them ({@code rewardgate.jobs.store}): the checks
 * every request passes, the owner rules, the {@link LineScheduler} that runs the lines of every batch fairly
 * between keys, the sweep of batches past their window and files past their retention, and the status log and
 * gauges. The store keeps the batches and moves them from status to status.
 */
@ApplicationScoped
public class Batches {

    private final JobsConfig config;
    private final FileStore files;
    private final LineHandler handler;
    private final JobsMetrics metrics;
    private final Clock clock;
    private final JobStore store;
    private final BatchStatuses statuses = new BatchStatuses();
    private final ScheduledExecutorService sweeper =
            Executors.newSingleThreadScheduledExecutor(task -> JobThreads.daemon(task, "rewardgate-batch-sweep"));
    private LineScheduler scheduler;
    private volatile boolean stopping;

    @Inject
    public Batches(JobsConfig config, FileStore files, LineHandler handler, JobsMetrics metrics, Clock clock,
            @All List<JobStore> stores) {
        this.config = config;
        this.files = files;
        this.handler = handler;
        this.metrics = metrics;
        this.clock = clock;
        this.store = stores.stream().filter(store -> store.kind() == config.store()).findFirst()
                .orElseThrow(() -> new IllegalStateException("No job store of kind " + config.store()));
    }

    /** Starts the store; public for the tests that build the local store without Quarkus. */
    public void start(@Observes StartupEvent event) {
        metrics.watch(statuses, statuses::count, BatchStatuses::linesWaiting);
        scheduler = new LineScheduler(config.lineConcurrency(), handler);
        scheduler.start();
        store.start(scheduler, statuses);
        long every = config.sweepInterval().toMillis();
        sweeper.scheduleWithFixedDelay(this::sweep, every, every, TimeUnit.MILLISECONDS);
    }

    /** Drains the lines at the backend, then stops the store. */
    public void stop(@Observes ShutdownEvent event) {
        if (scheduler == null) {
            return;
        }
        stopping = true;
        sweeper.shutdownNow();
        store.stopping();
        if (!scheduler.shutdown(config.drainTimeout())) {
            Log.warnf("%d batch lines still in flight at the shutdown %s", scheduler.running(), store.undrained());
        }
        store.stop();
    }

    /**
     * Creates a batch over {@code inputFileId} and starts it; refused while {@code owner} has
     * {@code rewardgate.jobs.max-active-batches} validating or in progress, or the jobs volume is below its
     * free-space floor.
     */
    public Batch create(String inputFileId, String endpoint, String completionWindow, Map<String, String> metadata,
            String owner) {
        if (stopping) {
            throw new JobsException(JobsException.Kind.UNAVAILABLE, "The service is shutting down; try again later.");
        }
        files.requireFreeSpace();
        Batch batch = store.create(BatchRules.created(files, handler.endpoints(), inputFileId, endpoint,
                completionWindow, metadata, owner, clock.millis()));
        statuses.remember(batch);
        return batch;
    }

    /** The batch as it is now, if {@code owner} may see it. */
    public Batch get(String id, String owner) {
        Batch batch = Ids.wellFormed(id) && id.startsWith("batch_") ? store.find(id) : null;
        if (batch == null || !Objects.equals(batch.owner(), owner)) {
            throw JobsException.notFound("batch", id);
        }
        statuses.remember(batch);
        return batch;
    }

    /**
     * Up to {@code limit} of {@code owner}'s batches, newest first, after the one whose id is {@code after} (from
     * the first when {@code null}; an id not in the list is an invalid request).
     */
    public Page list(String owner, String after, int limit) {
        return store.page(owner, after, limit);
    }

    /**
     * Cancels a batch that is validating or in progress: no line starts after this, the lines waiting for the
     * backend are dropped, those already at the backend finish and are kept, and the batch ends
     * {@code cancelled} with the output of what was answered.
     */
    public Batch cancel(String id, String owner) {
        while (true) {
            Batch batch = get(id, owner);
            if (batch.status() == Status.CANCELLING) {
                return batch;
            }
            BatchRules.refuseUnlessCancellable(batch);
            Batch cancelling = store.cancel(batch);
            if (cancelling != null) {
                statuses.remember(cancelling);
                return cancelling;
            }
        }
    }

    /**
     * Deletes a file, unless it is the input of a batch that has not ended: that batch reads it again to
     * resume after a restart and to list what it did not answer. Whether {@code owner} had a file of that id.
     */
    public boolean deleteFile(String id, String owner) {
        // Another key learns nothing of the file, not even that a batch reads it.
        return files.find(id, owner).isPresent() && store.deleteFile(id, owner);
    }

    /** Gives every batch of {@code from} to {@code to}: a key that was renamed keeps its batches. How many. */
    public int renameOwner(String from, String to) {
        return store.renameOwner(from, to);
    }

    private void sweep() {
        try {
            files.sweep(store.sweep(clock.instant().getEpochSecond()));
        } catch (RuntimeException e) {
            Log.warnf("Batches past their window and files past their retention could not be looked for: %s",
                    e.toString());
        }
    }

    /** A page of batches, and whether more follow it. */
    public record Page(List<Batch> batches, boolean hasMore) {

        /** The page of {@code sorted} (newest first) after {@code after}. */
        public static Page of(List<Batch> sorted, String after, int limit) {
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
