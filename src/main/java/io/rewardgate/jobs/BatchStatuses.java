package io.rewardgate.jobs;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.quarkus.logging.Log;
import io.rewardgate.jobs.Batch.Status;

/**
 * The batches this process has seen lately, for the status log and the gauges of {@link JobsMetrics}. Bounded:
 * with the {@code redis} store a replica sees the batches it works on, not all of them.
 */
public final class BatchStatuses {

    /** The batches a process remembers: a bound on its memory. */
    private static final int REMEMBERED = 10_000;

    private final Cache<String, Batch> seen = Caffeine.newBuilder().maximumSize(REMEMBERED).build();

    /** Notes the batch as it is now; a change of status is logged. */
    public void remember(Batch batch) {
        Batch before = seen.getIfPresent(batch.id());
        seen.put(batch.id(), batch.errors() == null ? batch : batch.withErrors(null));
        if (before == null || before.status() != batch.status()) {
            Log.infof("Batch %s is %s (%d requests, %d answered, %d failed)", batch.id(), batch.status().wire(),
                    batch.requestCounts().total(), batch.requestCounts().completed(), batch.requestCounts().failed());
        }
    }

    /** Forgets a batch that is gone. */
    public void forget(String id) {
        seen.invalidate(id);
    }

    int count(Status status) {
        int n = 0;
        for (Batch batch : seen.asMap().values()) {
            if (batch.status() == status) {
                n++;
            }
        }
        return n;
    }

    int linesWaiting() {
        int waiting = 0;
        for (Batch batch : seen.asMap().values()) {
            if (batch.status() == Status.IN_PROGRESS) {
                waiting += batch.requestCounts().total() - batch.requestCounts().answered();
            }
        }
        return waiting;
    }
}
