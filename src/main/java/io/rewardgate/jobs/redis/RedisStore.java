package io.rewardgate.jobs.redis;

import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import io.quarkus.logging.Log;
import io.quarkus.redis.client.RedisClientName;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.rewardgate.jobs.Batch;
import io.rewardgate.jobs.Batch.Status;
import io.rewardgate.jobs.BatchRules;
import io.rewardgate.jobs.BatchStatuses;
import io.rewardgate.jobs.Batches;
import io.rewardgate.jobs.FileStore;
import io.rewardgate.jobs.JobStore;
import io.rewardgate.jobs.JobThreads;
import io.rewardgate.jobs.JobsConfig;
import io.rewardgate.jobs.JobsException;
import io.rewardgate.jobs.JobsMetrics;
import io.rewardgate.jobs.LineHandler;
import io.rewardgate.jobs.LineScheduler;
import io.rewardgate.jobs.Volume;

/**
 * Batches kept in Redis ({@code rewardgate.jobs.store=redis}, the client {@code quarkus.redis.jobs.*}) and
 * worked on by every replica; {@link RedisJobs} lists the keys. Control tasks (validate, refill, flush,
 * finalize: {@link RedisTasks}) go through one stream, read by the consumer group in which each replica is a
 * consumer ({@link TaskConsumer}); each running batch's lines go through a queue of their own
 * ({@link RedisLines}), which every replica's {@link LineScheduler} reads in turn with the other keys' batches
 * ({@link RunningBatches}). Delivery is at least once; what makes that safe is that every change is a script on
 * the batch's keys.
 *
 * <p>A cancel or an expiry is published on {@code events}: every replica drops the batch's lines that have not
 * reached the backend at once (and, should it miss the message, within a second). When Redis is full
 * ({@code maxmemory} under {@code noeviction}), new batches are refused with a Retry-After and lines wait
 * ({@link RedisPressure}); cancels and ends still go through.
 */
@ApplicationScoped
public class RedisStore implements JobStore {

    private static final Duration FULL_RETRY = Duration.ofSeconds(30);

    private final JobsConfig config;
    private final FileStore files;
    private final LineHandler handler;
    private final JobsMetrics metrics;
    private final Clock clock;
    private final Volume volume;
    private final Instance<ReactiveRedisDataSource> redisSource;
    private final String consumer;
    private final ExecutorService control = JobThreads.control();
    private final RedisPressure pressure = new RedisPressure();
    private final RedisCalls calls = new RedisCalls(this::isStopping);
    private RedisJobs jobs;
    private RedisTasks tasks;
    private RunningBatches running;
    private volatile boolean stopping;

    @Inject
    public RedisStore(JobsConfig config, FileStore files, LineHandler handler, JobsMetrics metrics, Clock clock,
            Volume volume, @RedisClientName("jobs") Instance<ReactiveRedisDataSource> redis) {
        this.config = config;
        this.files = files;
        this.handler = handler;
        this.metrics = metrics;
        this.clock = clock;
        this.volume = volume;
        this.redisSource = redis;
        String host = Objects.requireNonNullElse(System.getenv("HOSTNAME"), "replica");
        this.consumer = host + "-" + ProcessHandle.current().pid() + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Override
    public JobsConfig.Store kind() {
        return JobsConfig.Store.REDIS;
    }

    @Override
    public void start(LineScheduler scheduler, BatchStatuses statuses) {
        ReactiveRedisDataSource redis = redisSource.get();
        jobs = new RedisJobs(redis, config.fileRetention());
        tasks = new RedisTasks(jobs, files, new Chunks(volume), config, handler.endpoints(), clock, consumer,
                this::isStopping, statuses::remember);
        HeldEntries held = new HeldEntries();
        RedisLines.Context lines = new RedisLines.Context(jobs, redis.stream(String.class, String.class, String.class),
                files, config, metrics, consumer, held, pressure, calls::retried);
        running = new RunningBatches(jobs, tasks, scheduler, lines, statuses, calls, control, this::isStopping);
        TaskConsumer consuming = new TaskConsumer(jobs, tasks, config, consumer, held, pressure, calls, control,
                this::isStopping);
        Log.infof("Batches are kept in Redis; this replica works on them as consumer %s", consumer);
        running.listen(redis);
        for (Runnable loop : List.<Runnable>of(consuming::consume, consuming::keepAlive, running::sync)) {
            JobThreads.daemon(loop, "rewardgate-batch-redis").start();
        }
    }

    @Override
    public void stopping() {
        stopping = true;
    }

    @Override
    public String undrained() {
        return "go to another replica after " + config.claimIdle();
    }

    @Override
    public void stop() {
        control.shutdownNow();
        if (running != null) {
            running.wake();
        }
    }

    @Override
    public Batch create(Batch batch) {
        String created;
        try {
            created = jobs.create(batch, config.maxActiveBatches()).await().atMost(RedisCalls.WAIT);
        } catch (RuntimeException e) {
            if (RedisJobs.full(e)) {
                pressure.full();
                throw new JobsException(JobsException.Kind.UNAVAILABLE,
                        "Batches cannot be stored now: the Redis that keeps them is full; try again later.", null,
                        FULL_RETRY);
            }
            throw calls.unavailable(e);
        }
        if ("gone".equals(created)) {
            throw BatchRules.noSuchInput(batch.inputFileId());
        }
        if ("limited".equals(created)) {
            BatchRules.requireRoomForAnother(config.maxActiveBatches(), config.maxActiveBatches());
        }
        return batch;
    }

    @Override
    public Batch find(String id) {
        return calls.await(jobs.load(id, true));
    }

    @Override
    public Batches.Page page(String owner, String after, int limit) {
        return calls.await(jobs.page(owner, after, limit));
    }

    @Override
    public Batch cancel(Batch batch) {
        Batch cancelling = batch.moved(Status.CANCELLING, now()).endingAs(Status.CANCELLED);
        // The finalization waits for the lines at the backend on every replica, then writes what they answered.
        if (!calls.await(jobs.move(batch, cancelling, null, "finalize", Status.VALIDATING, Status.IN_PROGRESS))) {
            return null;
        }
        running.stopHere(batch.id());
        return cancelling;
    }

    @Override
    public boolean deleteFile(String id, String owner) {
        for (int tries = 0; tries < 3; tries++) {
            String reader = calls.await(jobs.deleteFile(id));
            if ("ok".equals(reader)) {
                return files.delete(id, owner);
            }
            Batch reading = calls.await(jobs.load(reader, false));
            if (reading != null && !reading.status().finished()) {
                throw BatchRules.inputInUse(reading);
            }
            // A batch that ended without leaving the file's readers (its hash expired): it reads nothing now.
            calls.await(jobs.redis().set(String.class).srem(RedisJobs.readers(id), reader));
        }
        throw calls.unavailable(new IllegalStateException("the readers of " + id + " keep changing"));
    }

    @Override
    public int renameOwner(String from, String to) {
        List<String> ids = calls.await(jobs.redis().sortedSet(String.class).zrange(RedisJobs.owner(from), 0, -1));
        for (String id : ids) {
            Batch batch = calls.await(jobs.load(id, false));
            if (batch == null) {
                continue;
            }
            Batch renamed = batch.ownedBy(to);
            calls.await(jobs.redis().hash(String.class).hset(RedisJobs.batch(id),
                    Map.of("state", RedisJobs.json(renamed), "owner", to)));
            calls.await(jobs.redis().sortedSet(String.class).zadd(RedisJobs.owner(to), batch.createdMillis(), id));
            if (BatchRules.active(batch.status())) {
                calls.await(jobs.redis().set(String.class).sadd(RedisJobs.active(to), id));
                calls.await(jobs.redis().set(String.class).srem(RedisJobs.active(from), id));
            }
        }
        calls.await(jobs.redis().key(String.class).del(RedisJobs.owner(from)));
        return ids.size();
    }

    /** Batches past their window expire; ended ones leave with their keys' expiry. */
    @Override
    public Set<String> sweep(long now) {
        Set<String> inUse = new HashSet<>();
        for (String id : calls.await(jobs.redis().set(String.class).smembers(RedisJobs.UNFINISHED))) {
            Batch batch = calls.await(jobs.load(id, false));
            if (batch == null || batch.status().finished()) {
                continue;
            }
            inUse.add(batch.inputFileId());
            if (batch.status() == Status.IN_PROGRESS && now >= batch.expiresAt()
                    && tasks.move(batch, batch.moved(Status.FINALIZING, now).endingAs(Status.EXPIRED), null,
                            "finalize", Status.IN_PROGRESS)) {
                running.stopHere(id);
            }
        }
        return inUse;
    }

    private boolean isStopping() {
        return stopping;
    }

    private long now() {
        return clock.instant().getEpochSecond();
    }
}
