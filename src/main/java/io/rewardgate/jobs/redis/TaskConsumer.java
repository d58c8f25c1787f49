package io.rewardgate.jobs.redis;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;
import java.util.function.BooleanSupplier;

import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.stream.ClaimedMessages;
import io.quarkus.redis.datasource.stream.ReactiveStreamCommands;
import io.quarkus.redis.datasource.stream.StreamMessage;
import io.quarkus.redis.datasource.stream.XClaimArgs;
import io.quarkus.redis.datasource.stream.XGroupCreateArgs;
import io.quarkus.redis.datasource.stream.XReadGroupArgs;
import io.rewardgate.jobs.JobThreads;
import io.rewardgate.jobs.JobsConfig;
import io.rewardgate.redis.LuaScript;

/**
 * This replica's part of the consumer group {@code workers} on the stream {@code tasks}: it reads control tasks
 * as its control slots free up, takes over those of replicas silent for {@code rewardgate.jobs.claim-idle}
 * (continuing {@code XAUTOCLAIM} from its cursor), and renews what it holds (tasks, line entries, finalize
 * leases) every third of that time, so that no other replica takes them over while it works on them.
 */
final class TaskConsumer {

    private static final LuaScript ACK = LuaScript.named("jobs-ack");

    private final RedisJobs jobs;
    private final RedisTasks tasks;
    private final ReactiveStreamCommands<String, String, String> stream;
    private final JobsConfig config;
    private final String consumer;
    private final HeldEntries held;
    private final RedisPressure pressure;
    private final RedisCalls calls;
    private final ExecutorService control;
    private final BooleanSupplier stopping;
    private final Semaphore controlSlots = new Semaphore(JobThreads.CONTROL);

    TaskConsumer(RedisJobs jobs, RedisTasks tasks, JobsConfig config, String consumer, HeldEntries held,
            RedisPressure pressure, RedisCalls calls, ExecutorService control, BooleanSupplier stopping) {
        this.jobs = jobs;
        this.tasks = tasks;
        this.stream = jobs.redis().stream(String.class, String.class, String.class);
        this.config = config;
        this.consumer = consumer;
        this.held = held;
        this.pressure = pressure;
        this.calls = calls;
        this.control = control;
        this.stopping = stopping;
    }

    /** Reads control tasks as control slots free up, and takes over those of replicas gone quiet. */
    void consume() {
        long nextClaim = 0;
        String cursor = "0-0";
        boolean grouped = false;
        while (!stopping.getAsBoolean()) {
            int taken = 0;
            try {
                if (!grouped) {
                    group();
                    grouped = true;
                }
                controlSlots.acquire();
                taken = 1 + controlSlots.drainPermits();
                List<StreamMessage<String, String, String>> due = List.of();
                long now = System.nanoTime();
                if (now - nextClaim >= 0) {
                    nextClaim = now + config.claimIdle().toNanos() / 2;
                    ClaimedMessages<String, String, String> claimed = stream.xautoclaim(RedisJobs.TASKS,
                            RedisJobs.GROUP, consumer, config.claimIdle(), cursor, taken).await().atMost(RedisCalls.WAIT);
                    cursor = claimed.getId();
                    due = claimed.getMessages();
                    if (!due.isEmpty()) {
                        Log.infof("Took over %d batch tasks from replicas silent for %s", due.size(), config.claimIdle());
                    }
                }
                if (due.isEmpty()) {
                    due = stream.xreadgroup(RedisJobs.GROUP, consumer, RedisJobs.TASKS, ">",
                            new XReadGroupArgs().count(taken).block(Duration.ofSeconds(1)))
                            .await().atMost(RedisCalls.WAIT.plusSeconds(1));
                }
                controlSlots.release(taken - due.size());
                taken = 0;
                for (StreamMessage<String, String, String> task : due) {
                    held.add(RedisJobs.TASKS, task.id());
                    control.execute(() -> runTask(task));
                }
                calls.reachable();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                controlSlots.release(taken);
                grouped = grouped && !String.valueOf(e.getMessage()).contains("NOGROUP");
                calls.unreachable(e);
                calls.pause(Duration.ofSeconds(1));
            }
        }
    }

    /** Renews what this replica holds every third of the claim idle time, on a thread of its own. */
    void keepAlive() {
        while (!stopping.getAsBoolean()) {
            try {
                held.snapshot().forEach(this::renew);
                for (String id : tasks.leases) {
                    jobs.renewLease(id, consumer, config.claimIdle().multipliedBy(2)).await().atMost(RedisCalls.WAIT);
                }
            } catch (RuntimeException e) {
                calls.unreachable(e);
            }
            calls.pause(config.claimIdle().dividedBy(3));
        }
    }

    private void group() {
        try {
            stream.xgroupCreate(RedisJobs.TASKS, RedisJobs.GROUP, "0", new XGroupCreateArgs().mkstream())
                    .await().atMost(RedisCalls.WAIT);
        } catch (RuntimeException e) {
            if (!String.valueOf(e.getMessage()).contains("BUSYGROUP")) {
                throw e;
            }
        }
    }

    /** Runs one control task; acknowledges it unless it must be done again. */
    private void runTask(StreamMessage<String, String, String> task) {
        String name = String.valueOf(task.payload().get("task"));
        String batch = task.payload().get("batch");
        boolean done;
        try {
            done = tasks.run(name, batch);
        } catch (IOException | RuntimeException e) {
            if (RedisJobs.full(e)) {
                pressure.full();
            }
            Log.errorf("Batch %s: a %s task failed (%s); it is done again after %s", batch, name, e.toString(),
                    config.claimIdle());
            done = false;
        }
        try {
            if (done) {
                calls.retried(ACK.run(jobs.redis(), List.of(RedisJobs.TASKS), RedisJobs.GROUP, task.id()))
                        .await().atMost(RedisCalls.WAIT);
            }
        } catch (RuntimeException e) {
            // Not acknowledged: done again after claim-idle, which is safe.
        } finally {
            // Not renewed any more: once acknowledged it is gone; otherwise another replica (or this one) takes it
            // over after claim-idle.
            held.remove(RedisJobs.TASKS, task.id());
            controlSlots.release();
        }
    }

    private void renew(String queue, List<String> ids) {
        try {
            stream.xclaim(queue, RedisJobs.GROUP, consumer, Duration.ZERO, new XClaimArgs().justId(),
                    ids.toArray(String[]::new)).await().atMost(RedisCalls.WAIT);
        } catch (RuntimeException e) {
            if (!String.valueOf(e.getMessage()).contains("NOGROUP")) {
                throw e;
            }
            // The batch ended and its queue went with it.
            held.forget(queue);
        }
    }
}
