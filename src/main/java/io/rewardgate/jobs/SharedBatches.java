package io.rewardgate.jobs;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Typed;
import jakarta.inject.Inject;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.quarkus.logging.Log;
import io.quarkus.redis.client.RedisClientName;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.stream.ClaimedMessages;
import io.quarkus.redis.datasource.stream.ReactiveStreamCommands;
import io.quarkus.redis.datasource.stream.StreamMessage;
import io.quarkus.redis.datasource.stream.XClaimArgs;
import io.quarkus.redis.datasource.stream.XGroupCreateArgs;
import io.quarkus.redis.datasource.stream.XReadGroupArgs;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.rewardgate.jobs.Batch.Status;
import io.rewardgate.redis.LuaScript;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;

/**
 * Batches kept in Redis ({@code rewardgate.jobs.store=redis}, the client {@code quarkus.redis.jobs.*}) and
 * worked on by every replica; {@link RedisJobs} lists the keys. Control tasks (validate, refill, flush,
 * finalize: {@link RedisTasks}) go through one stream, {@code tasks}, read by the consumer group
 * {@code workers} in which each replica is a consumer, on threads of their own; each running batch's lines go
 * through a queue of their own ({@link RedisLines}), which every replica's {@link LineScheduler} reads in turn
 * with the other keys' batches. Delivery is at least once: a replica renews what it holds every third of
 * {@code rewardgate.jobs.claim-idle}, and takes over what another replica held longer without a sign of life.
 * What makes that safe is that every change is a script on the batch's keys.
 *
 * <p>A cancel or an expiry is published on {@code events}: every replica drops the batch's lines that have not
 * reached the backend at once (and, should it miss the message, within a second, as it reads the running
 * batches again). When Redis is full ({@code maxmemory} under {@code noeviction}), new batches are refused with
 * a Retry-After and lines wait ({@link RedisPressure}); cancels and ends still go through.
 */
@ApplicationScoped
@Typed(SharedBatches.class)
public class SharedBatches implements Batches {

    /** How long a request of the API waits for Redis before it is answered 503. */
    private static final Duration REDIS_WAIT = Duration.ofSeconds(5);
    private static final Duration FULL_RETRY = Duration.ofSeconds(30);
    private static final LuaScript ACK = LuaScript.named("jobs-ack");
    /** The batches whose status a replica remembers, for its gauges: a bound on its memory. */
    private static final int REMEMBERED = 10_000;

    private final JobsConfig config;
    private final FileStore files;
    private final LineHandler handler;
    private final JobsMetrics metrics;
    private final Clock clock;
    private final Instance<ReactiveRedisDataSource> redisSource;
    private final String consumer;
    private final ExecutorService control = JobThreads.control();
    private final HeldEntries held = new HeldEntries();
    private final RedisPressure pressure = new RedisPressure();
    private final Cache<String, Batch> seen = Caffeine.newBuilder().maximumSize(REMEMBERED).build();
    private final Semaphore controlSlots = new Semaphore(JobThreads.CONTROL);
    private final Object syncSignal = new Object();
    private RedisJobs jobs;
    private RedisTasks tasks;
    private ReactiveStreamCommands<String, String, String> stream;
    private LineScheduler scheduler;
    private RedisLines.Context lineContext;
    private volatile boolean stopping;
    private volatile boolean unreachable;

    @Inject
    public SharedBatches(JobsConfig config, FileStore files, LineHandler handler, JobsMetrics metrics, Clock clock,
            @RedisClientName("jobs") Instance<ReactiveRedisDataSource> redis) {
        this.config = config;
        this.files = files;
        this.handler = handler;
        this.metrics = metrics;
        this.clock = clock;
        this.redisSource = redis;
        String host = Objects.requireNonNullElse(System.getenv("HOSTNAME"), "replica");
        this.consumer = host + "-" + ProcessHandle.current().pid() + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    void start(@Observes StartupEvent event, Volume volume) {
        if (config.store() != JobsConfig.Store.REDIS) {
            return;
        }
        ReactiveRedisDataSource redis = redisSource.get();
        jobs = new RedisJobs(redis, config.fileRetention());
        stream = redis.stream(String.class, String.class, String.class);
        tasks = new RedisTasks(jobs, files, new Chunks(volume), config, handler.endpoints(), clock, consumer,
                () -> stopping, this::remember);
        lineContext = new RedisLines.Context(jobs, stream, files, config, metrics, consumer, held, pressure,
                this::retried);
        scheduler = new LineScheduler(config.lineConcurrency(), handler);
        scheduler.start();
        metrics.watch(this, this::count, SharedBatches::linesWaiting);
        Log.infof("Batches are kept in Redis; this replica works on them as consumer %s", consumer);
        listen(redis);
        for (Runnable loop : List.<Runnable>of(this::consume, this::keepAlive, this::sync, this::maintain)) {
            JobThreads.daemon(loop, "rewardgate-batch-redis").start();
        }
    }

    void stop(@Observes ShutdownEvent event) {
        if (scheduler == null) {
            return;
        }
        stopping = true;
        // Lines at the backend get the drain timeout to be recorded; the rest another replica takes over.
        if (!scheduler.shutdown(config.drainTimeout())) {
            Log.warnf("%d batch lines still in flight at the shutdown go to another replica after %s",
                    scheduler.running(), config.claimIdle());
        }
        control.shutdownNow();
        synchronized (syncSignal) {
            syncSignal.notifyAll();
        }
    }

    @Override
    public Batch create(String inputFileId, String endpoint, String completionWindow, Map<String, String> metadata,
            String owner) {
        if (stopping) {
            throw new JobsException(JobsException.Kind.UNAVAILABLE, "The service is shutting down; try again later.");
        }
        files.requireFreeSpace();
        Batch batch = BatchRules.created(files, handler.endpoints(), inputFileId, endpoint, completionWindow,
                metadata, owner, clock.millis());
        String created;
        try {
            created = jobs.create(batch, config.maxActiveBatches()).await().atMost(REDIS_WAIT);
        } catch (RuntimeException e) {
            if (RedisJobs.full(e)) {
                pressure.full();
                throw new JobsException(JobsException.Kind.UNAVAILABLE,
                        "Batches cannot be stored now: the Redis that keeps them is full; try again later.", null,
                        FULL_RETRY);
            }
            throw unavailable(e);
        }
        if ("gone".equals(created)) {
            throw new JobsException(JobsException.Kind.NOT_FOUND, "No such file: '" + Ids.shown(inputFileId) + "'.",
                    "input_file_id");
        }
        if ("limited".equals(created)) {
            BatchRules.requireRoomForAnother(config.maxActiveBatches(), config.maxActiveBatches());
        }
        remember(batch);
        return batch;
    }

    @Override
    public Batch get(String id, String owner) {
        Batch batch = Ids.wellFormed(id) && id.startsWith("batch_") ? await(jobs.load(id, true)) : null;
        if (batch == null || !Objects.equals(batch.owner(), owner)) {
            throw JobsException.notFound("batch", id);
        }
        remember(batch);
        return batch;
    }

    @Override
    public Page list(String owner, String after, int limit) {
        return await(jobs.page(owner, after, limit));
    }

    @Override
    public Batch cancel(String id, String owner) {
        while (true) {
            Batch batch = get(id, owner);
            if (batch.status() == Status.CANCELLING) {
                return batch;
            }
            BatchRules.refuseUnlessCancellable(batch);
            Batch cancelling = batch.moved(Status.CANCELLING, now()).endingAs(Status.CANCELLED);
            // The finalization waits for the lines at the backend on every replica, then writes what they answered.
            if (await(jobs.move(batch, cancelling, null, "finalize", Status.VALIDATING, Status.IN_PROGRESS))) {
                remember(cancelling);
                stopHere(id);
                return cancelling;
            }
        }
    }

    @Override
    public boolean deleteFile(String id, String owner) {
        if (files.find(id, owner).isEmpty()) {
            return false;
        }
        for (int tries = 0; tries < 3; tries++) {
            String reader = await(jobs.deleteFile(id));
            if ("ok".equals(reader)) {
                return files.delete(id, owner);
            }
            Batch reading = await(jobs.load(reader, false));
            if (reading != null && !reading.status().finished()) {
                throw BatchRules.inputInUse(reading);
            }
            // A batch that ended without leaving the file's readers (its hash expired): it reads nothing now.
            await(jobs.redis().set(String.class).srem(RedisJobs.readers(id), reader));
        }
        throw unavailable(new IllegalStateException("the readers of " + id + " keep changing"));
    }

    @Override
    public int renameOwner(String from, String to) {
        List<String> ids = await(jobs.redis().sortedSet(String.class).zrange(RedisJobs.owner(from), 0, -1));
        for (String id : ids) {
            Batch batch = await(jobs.load(id, false));
            if (batch == null) {
                continue;
            }
            Batch renamed = batch.ownedBy(to);
            await(jobs.redis().hash(String.class).hset(RedisJobs.batch(id),
                    Map.of("state", RedisJobs.json(renamed), "owner", to)));
            await(jobs.redis().sortedSet(String.class).zadd(RedisJobs.owner(to), batch.createdMillis(), id));
            if (BatchRules.active(batch.status())) {
                await(jobs.redis().set(String.class).sadd(RedisJobs.active(to), id));
                await(jobs.redis().set(String.class).srem(RedisJobs.active(from), id));
            }
        }
        await(jobs.redis().key(String.class).del(RedisJobs.owner(from)));
        return ids.size();
    }

    /** Reads control tasks as control slots free up, and takes over those of replicas gone quiet. */
    private void consume() {
        long nextClaim = 0;
        String cursor = "0-0";
        boolean grouped = false;
        while (!stopping) {
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
                            RedisJobs.GROUP, consumer, config.claimIdle(), cursor, taken).await().atMost(REDIS_WAIT);
                    cursor = claimed.getId();
                    due = claimed.getMessages();
                    if (!due.isEmpty()) {
                        Log.infof("Took over %d batch tasks from replicas silent for %s", due.size(), config.claimIdle());
                    }
                }
                if (due.isEmpty()) {
                    due = stream.xreadgroup(RedisJobs.GROUP, consumer, RedisJobs.TASKS, ">",
                            new XReadGroupArgs().count(taken).block(Duration.ofSeconds(1)))
                            .await().atMost(REDIS_WAIT.plusSeconds(1));
                }
                controlSlots.release(taken - due.size());
                taken = 0;
                for (StreamMessage<String, String, String> task : due) {
                    held.add(RedisJobs.TASKS, task.id());
                    control.execute(() -> runTask(task));
                }
                reachable();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                controlSlots.release(taken);
                grouped = grouped && !String.valueOf(e.getMessage()).contains("NOGROUP");
                unreachable(e);
                pause(Duration.ofSeconds(1));
            }
        }
    }

    private void group() {
        try {
            stream.xgroupCreate(RedisJobs.TASKS, RedisJobs.GROUP, "0", new XGroupCreateArgs().mkstream())
                    .await().atMost(REDIS_WAIT);
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
                retried(ACK.run(jobs.redis(), List.of(RedisJobs.TASKS), RedisJobs.GROUP, task.id()))
                        .await().atMost(REDIS_WAIT);
                held.remove(RedisJobs.TASKS, task.id());
            } else {
                // Not renewed any more: another replica (or this one) takes it over after claim-idle.
                held.remove(RedisJobs.TASKS, task.id());
            }
        } catch (RuntimeException e) {
            held.remove(RedisJobs.TASKS, task.id());
        } finally {
            controlSlots.release();
        }
    }

    /** Renews what this replica holds every third of the claim idle time, on a thread of its own. */
    private void keepAlive() {
        while (!stopping) {
            try {
                held.snapshot().forEach(this::renew);
                for (String id : tasks.leases) {
                    jobs.renewLease(id, consumer, config.claimIdle().multipliedBy(2)).await().atMost(REDIS_WAIT);
                }
            } catch (RuntimeException e) {
                unreachable(e);
            }
            pause(config.claimIdle().dividedBy(3));
        }
    }

    private void renew(String queue, List<String> ids) {
        try {
            stream.xclaim(queue, RedisJobs.GROUP, consumer, Duration.ZERO, new XClaimArgs().justId(),
                    ids.toArray(String[]::new)).await().atMost(REDIS_WAIT);
        } catch (RuntimeException e) {
            if (!String.valueOf(e.getMessage()).contains("NOGROUP")) {
                throw e;
            }
            // The batch ended and its queue went with it.
            held.forget(queue);
        }
    }

    /**
     * Every second, or at once when told of a batch that starts: hands the running batches' lines to the
     * scheduler, and stops those that are no longer running (a missed stop).
     */
    private void sync() {
        while (!stopping) {
            try {
                Set<String> runningNow = new HashSet<>(await(jobs.redis().set(String.class).smembers(RedisJobs.RUNNING)));
                for (String id : runningNow) {
                    start(id);
                }
                for (String id : scheduler.batchIds()) {
                    if (!runningNow.contains(id)) {
                        stopHere(id);
                    }
                }
            } catch (RuntimeException e) {
                unreachable(e);
            }
            synchronized (syncSignal) {
                try {
                    syncSignal.wait(1000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Notes a running batch's progress, for the gauges, and hands its lines to the scheduler if new here. */
    private void start(String id) {
        Map<String, String> fields = await(jobs.fields(id));
        if (fields.get("state") == null || !Status.IN_PROGRESS.wire().equals(fields.get("status"))) {
            return;
        }
        Batch batch = RedisJobs.parse(fields.get("state")).counted(new Batch.Counts(number(fields.get("total")),
                number(fields.get("completed")), number(fields.get("failed"))));
        remember(batch);
        if (scheduler.has(id)) {
            return;
        }
        scheduler.add(new RedisLines(lineContext, batch));
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

    /** Drops the batch's lines here that have not reached the backend. */
    private void stopHere(String id) {
        scheduler.stop(id);
        held.forget(RedisJobs.lines(id));
    }

    /** Cancels and starts published by any replica: acted on here at once. */
    private void listen(ReactiveRedisDataSource redis) {
        redis.pubsub(String.class).subscribe(RedisJobs.EVENTS, message -> {
            if (message.startsWith("stop ")) {
                stopHere(message.substring(5));
            } else {
                synchronized (syncSignal) {
                    syncSignal.notifyAll();
                }
            }
        }, () -> {}, failure -> {}).subscribe().with(ignored -> {}, failure -> {
            Log.debugf("Cannot listen for batch events yet (%s); the running batches are read every second",
                    failure.toString());
        });
    }

    /** Every sweep interval: batches past their window expire, and files past their retention go. */
    private void maintain() {
        while (!stopping) {
            try {
                Set<String> inUse = new HashSet<>();
                for (String id : await(jobs.redis().set(String.class).smembers(RedisJobs.UNFINISHED))) {
                    Batch batch = await(jobs.load(id, false));
                    if (batch == null || batch.status().finished()) {
                        continue;
                    }
                    inUse.add(batch.inputFileId());
                    if (batch.status() == Status.IN_PROGRESS && now() >= batch.expiresAt()
                            && tasks.move(batch, batch.moved(Status.FINALIZING, now()).endingAs(Status.EXPIRED), null,
                                    "finalize", Status.IN_PROGRESS)) {
                        stopHere(id);
                    }
                }
                files.sweep(inUse);
            } catch (RuntimeException e) {
                Log.warnf("Batches past their window and files past their retention could not be looked for: %s",
                        e.toString());
            }
            pause(config.sweepInterval());
        }
    }

    /**
     * A call that must not be lost (an answer, an acknowledgement): tried again while Redis is out of reach, and
     * when no answer comes in time (a connection cut as the server restarts can leave a command unanswered). The
     * calls given are safe to make twice.
     */
    private Uni<Response> retried(Uni<Response> call) {
        return call.ifNoItem().after(REDIS_WAIT).fail()
                .onFailure().invoke(this::unreachable)
                .onFailure(failure -> !stopping).retry()
                .withBackOff(Duration.ofMillis(200), Duration.ofSeconds(5)).atMost(Long.MAX_VALUE)
                .invoke(this::reachable);
    }

    /** The answer of a call to Redis for the API, or 503 when Redis does not give one in time. */
    private <T> T await(Uni<T> call) {
        try {
            return call.await().atMost(REDIS_WAIT);
        } catch (JobsException e) {
            throw e;
        } catch (RuntimeException e) {
            throw unavailable(e);
        }
    }

    private JobsException unavailable(RuntimeException e) {
        unreachable(e);
        return new JobsException(JobsException.Kind.UNAVAILABLE, "Batches cannot be reached now; try again later.");
    }

    private void unreachable(Throwable e) {
        if (!unreachable) {
            Log.warnf("Redis, which keeps the batches, is out of reach (%s); batch work waits for it", e.toString());
        }
        unreachable = true;
    }

    private void reachable() {
        if (unreachable) {
            Log.info("Redis, which keeps the batches, answers again; batch work goes on");
        }
        unreachable = false;
    }

    /** Waits between rounds of a background loop; the shutdown ends it. */
    private void pause(Duration duration) {
        if (stopping) {
            return;
        }
        try {
            TimeUnit.MILLISECONDS.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void remember(Batch batch) {
        Batch before = seen.getIfPresent(batch.id());
        seen.put(batch.id(), batch.errors() == null ? batch : batch.withErrors(null));
        if (before == null || before.status() != batch.status()) {
            Log.infof("Batch %s is %s (%d requests, %d answered, %d failed)", batch.id(), batch.status().wire(),
                    batch.requestCounts().total(), batch.requestCounts().completed(), batch.requestCounts().failed());
        }
    }

    private int count(Status status) {
        int n = 0;
        for (Batch batch : seen.asMap().values()) {
            if (batch.status() == status) {
                n++;
            }
        }
        return n;
    }

    private int linesWaiting() {
        int waiting = 0;
        for (Batch batch : seen.asMap().values()) {
            if (batch.status() == Status.IN_PROGRESS) {
                waiting += batch.requestCounts().total() - batch.requestCounts().answered();
            }
        }
        return waiting;
    }

    private long now() {
        return clock.instant().getEpochSecond();
    }

    private static int number(String text) {
        return text == null ? 0 : Integer.parseInt(text);
    }
}
