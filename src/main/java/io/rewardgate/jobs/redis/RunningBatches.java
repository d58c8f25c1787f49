package io.rewardgate.jobs.redis;

import java.io.IOException;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.function.BooleanSupplier;

import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.rewardgate.jobs.Batch;
import io.rewardgate.jobs.Batch.Status;
import io.rewardgate.jobs.BatchStatuses;
import io.rewardgate.jobs.LineScheduler;

/**
 * Keeps this replica's {@link LineScheduler} in step with the batches running in Redis: every second, or at once
 * when a replica publishes a start on {@code events}, the lines of each running batch are handed to it, and the
 * batches no longer running are stopped; a published stop (a cancel, an expiry) drops the batch's lines here
 * that have not reached the backend at once.
 */
final class RunningBatches {

    private final RedisJobs jobs;
    private final RedisTasks tasks;
    private final LineScheduler scheduler;
    private final RedisLines.Context lines;
    private final HeldEntries held;
    private final BatchStatuses statuses;
    private final RedisCalls calls;
    private final ExecutorService control;
    private final BooleanSupplier stopping;
    private final Object signal = new Object();

    RunningBatches(RedisJobs jobs, RedisTasks tasks, LineScheduler scheduler, RedisLines.Context lines,
            BatchStatuses statuses, RedisCalls calls, ExecutorService control, BooleanSupplier stopping) {
        this.jobs = jobs;
        this.tasks = tasks;
        this.scheduler = scheduler;
        this.lines = lines;
        this.held = lines.held();
        this.statuses = statuses;
        this.calls = calls;
        this.control = control;
        this.stopping = stopping;
    }

    /** Every second, or at once when told of a batch that starts: the running batches' lines go to the scheduler. */
    void sync() {
        while (!stopping.getAsBoolean()) {
            try {
                Set<String> runningNow = new HashSet<>(calls.await(jobs.redis().set(String.class).smembers(RedisJobs.RUNNING)));
                for (String id : runningNow) {
                    start(id);
                }
                for (String id : scheduler.batchIds()) {
                    if (!runningNow.contains(id)) {
                        stopHere(id);
                    }
                }
            } catch (RuntimeException e) {
                calls.unreachable(e);
            }
            synchronized (signal) {
                try {
                    signal.wait(1000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Ends {@link #sync()} at once. */
    void wake() {
        synchronized (signal) {
            signal.notifyAll();
        }
    }

    /** Drops the batch's lines here that have not reached the backend. */
    void stopHere(String id) {
        scheduler.stop(id);
        held.forget(RedisJobs.lines(id));
    }

    /** Cancels and starts published by any replica: acted on here at once. */
    void listen(ReactiveRedisDataSource redis) {
        redis.pubsub(String.class).subscribe(RedisJobs.EVENTS, message -> {
            if (message.startsWith("stop ")) {
                stopHere(message.substring(5));
            } else {
                wake();
            }
        }, () -> {}, failure -> {}).subscribe().with(ignored -> {}, failure -> {
            Log.debugf("Cannot listen for batch events yet (%s); the running batches are read every second",
                    failure.toString());
        });
    }

    /** Notes a running batch's progress, for the gauges, and hands its lines to the scheduler if new here. */
    private void start(String id) {
        Map<String, String> fields = calls.await(jobs.fields(id));
        if (fields.get("state") == null || !Status.IN_PROGRESS.wire().equals(fields.get("status"))) {
            return;
        }
        Batch batch = RedisJobs.parse(fields.get("state")).counted(new Batch.Counts(number(fields.get("total")),
                number(fields.get("completed")), number(fields.get("failed"))));
        statuses.remember(batch);
        if (scheduler.has(id)) {
            return;
        }
        scheduler.add(new RedisLines(lines, batch));
        if (fields.get("queued") == null || "0".equals(fields.get("queued"))) {
            // Nothing queued yet: the replica that validated it died before it queued its first lines, or it was
            // started by an earlier version, which queued lines elsewhere.
            control.execute(() -> {
                try {
                    tasks.refill(id);
                } catch (IOException | RuntimeException e) {
                    Log.warnf("Batch %s: its first lines could not be queued (%s)", id, e.toString());
                }
            });
        }
    }

    private static int number(String text) {
        return text == null ? 0 : Integer.parseInt(text);
    }
}
