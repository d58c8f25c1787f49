package io.rewardgate.jobs;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Typed;
import jakarta.inject.Inject;

import io.quarkus.logging.Log;
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
import io.rewardgate.jobs.LineHandler.LineOutcome;
import io.rewardgate.observability.JobsMetrics;
import io.rewardgate.redis.LuaScript;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.mutiny.redis.client.Response;

/**
 * Batches kept in Redis and worked on by every replica ({@code rewardgate.jobs.store=redis}). Work goes
 * through one Redis Stream, {@code rewardgate:v1:jobs:tasks}, read by the consumer group {@code workers} in
 * which each replica is a consumer: a batch's validation, each of its lines (by number and byte offset in the
 * input file, which every replica reads from the shared {@code rewardgate.jobs.directory}), and its
 * finalization are tasks. Delivery is at least once: a replica renews the tasks it holds every third of
 * {@code rewardgate.jobs.claim-idle}, and takes over (XAUTOCLAIM) those another replica has held longer
 * without a sign of life. What makes that safe is that every change is a Lua script on the batch's keys: a line
 * is started only while its batch is in progress and not yet answered, its answer is recorded once (HSETNX
 * by line number), the answer that completes the batch queues its finalization in the same step, and a status
 * changes only from the status it was read in.
 *
 * <p>Keys, under {@code rewardgate:v1:jobs:}: {@code batch:<id>} (a hash: the batch as JSON, its status, and
 * its counts), {@code results:<id>} (line number to output line, until the output files are written),
 * {@code inflight:<id>} (lines being scored, so that a cancel can wait for them), {@code owner:<name>} (a key's
 * batches by creation), {@code unfinished} (the batches that have not ended) and {@code finalizing:<id>} (the
 * lease of the one replica writing a batch's output). An ended batch is kept as long as its files,
 * {@code rewardgate.jobs.file-retention}; none of these keys but the lease expires before, so a Redis that
 * keeps batches must not evict keys without a TTL ({@code maxmemory-policy} {@code volatile-lru} or
 * {@code noeviction}).
 */
@ApplicationScoped
@Typed(SharedBatches.class)
public class SharedBatches implements Batches {

    static final String PREFIX = "rewardgate:v1:jobs:";
    static final String STREAM = PREFIX + "tasks";
    static final String GROUP = "workers";
    private static final String UNFINISHED = PREFIX + "unfinished";
    /** How long a request of the API waits for Redis before it is answered 503. */
    private static final Duration REDIS_WAIT = Duration.ofSeconds(5);
    /** Output lines looked up in Redis at once while writing the output files. */
    private static final int CHUNK = 256;
    private static final String RESULT = "o";
    private static final String ERROR = "e";

    private static final LuaScript CREATE = LuaScript.named("jobs-create");
    private static final LuaScript MOVE = LuaScript.named("jobs-move");
    private static final LuaScript START = LuaScript.named("jobs-start");
    private static final LuaScript RECORD = LuaScript.named("jobs-record");
    private static final LuaScript ACK = LuaScript.named("jobs-ack");
    private static final LuaScript ENQUEUE = LuaScript.named("jobs-enqueue");

    private final JobsConfig config;
    private final FileStore files;
    private final LineHandler handler;
    private final JobsMetrics metrics;
    private final Clock clock;
    private final Instance<ReactiveRedisDataSource> redisSource;
    private final String consumer;
    private final ExecutorService threads = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "rewardgate-batch");
        thread.setDaemon(true);
        return thread;
    });
    /** The tasks this replica holds, by stream entry id: renewed until done. */
    private final Set<String> held = ConcurrentHashMap.newKeySet();
    /** The batches seen last, for the metrics and the parts of a batch that never change. */
    private final Map<String, Batch> seen = new ConcurrentHashMap<>();
    private final Set<String> leases = ConcurrentHashMap.newKeySet();
    private ReactiveRedisDataSource redis;
    private ReactiveStreamCommands<String, String, String> stream;
    private Semaphore slots;
    private volatile boolean stopping;
    private volatile boolean unreachable;

    @Inject
    public SharedBatches(JobsConfig config, FileStore files, LineHandler handler, JobsMetrics metrics, Clock clock,
            Instance<ReactiveRedisDataSource> redis) {
        this.config = config;
        this.files = files;
        this.handler = handler;
        this.metrics = metrics;
        this.clock = clock;
        this.redisSource = redis;
        String host = Objects.requireNonNullElse(System.getenv("HOSTNAME"), "replica");
        this.consumer = host + "-" + ProcessHandle.current().pid() + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    void start(@Observes StartupEvent event) {
        if (config.store() != JobsConfig.Store.REDIS) {
            return;
        }
        redis = redisSource.get();
        stream = redis.stream(String.class, String.class, String.class);
        slots = new Semaphore(config.lineConcurrency());
        metrics.watch(this, this::count, SharedBatches::linesWaiting);
        Log.infof("Batches are kept in Redis; this replica works on them as consumer %s", consumer);
        threads.execute(this::consume);
        threads.execute(this::keepAlive);
        threads.execute(this::maintain);
    }

    void stop(@Observes ShutdownEvent event) {
        if (slots == null) {
            return;
        }
        stopping = true;
        try {
            // Lines in flight get the drain timeout to be recorded; the rest another replica takes over.
            if (!slots.tryAcquire(config.lineConcurrency(), config.drainTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                Log.warnf("%d batch tasks still in flight at the shutdown go to another replica after %s",
                        held.size(), config.claimIdle());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        threads.shutdownNow();
    }

    @Override
    public Batch create(String inputFileId, String endpoint, String completionWindow, Map<String, String> metadata,
            String owner) {
        Batch batch = BatchRules.created(files, handler.endpoints(), inputFileId, endpoint, completionWindow,
                metadata, owner, clock.millis());
        if (stopping) {
            throw new JobsException(JobsException.Kind.UNAVAILABLE, "The service is shutting down; try again later.");
        }
        await(CREATE.run(redis, List.of(batchKey(batch.id()), ownerKey(owner), UNFINISHED, STREAM), json(batch),
                batch.status().wire(), Long.toString(batch.createdMillis()), batch.id()));
        seen.put(batch.id(), batch);
        log(batch);
        return batch;
    }

    @Override
    public Batch get(String id, String owner) {
        Batch batch = Ids.wellFormed(id) && id.startsWith("batch_") ? await(load(id)) : null;
        if (batch == null || !Objects.equals(batch.owner(), owner)) {
            throw JobsException.notFound("batch", id);
        }
        return batch;
    }

    @Override
    public List<Batch> list(String owner) {
        List<String> ids = await(redis.sortedSet(String.class).zrange(ownerKey(owner), 0, -1));
        List<Batch> batches = new ArrayList<>();
        for (String id : ids) {
            Batch batch = await(load(id));
            if (batch == null) {
                // Ended longer ago than the file retention: its hash expired, its place in the list goes now.
                await(redis.sortedSet(String.class).zrem(ownerKey(owner), id));
            } else if (Objects.equals(batch.owner(), owner)) {
                batches.add(batch);
            }
        }
        batches.sort(Comparator.comparingLong(Batch::createdMillis).reversed().thenComparing(Batch::id));
        return batches;
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
            // The finalization waits for the lines in flight on every replica, then writes what they answered.
            if (await(move(batch, cancelling, null, "finalize", Status.VALIDATING, Status.IN_PROGRESS))) {
                return cancelling;
            }
        }
    }

    @Override
    public boolean deleteFile(String id, String owner) {
        if (files.find(id, owner).isEmpty()) {
            return false;
        }
        for (Batch batch : unfinished()) {
            if (id.equals(batch.inputFileId())) {
                throw new JobsException(JobsException.Kind.INVALID, "The file is the input of " + batch.id()
                        + ", which is " + batch.status().wire() + "; it can be deleted once the batch has ended.",
                        "file_id");
            }
        }
        return files.delete(id, owner);
    }

    /** Reads tasks as slots free up, and takes over those of replicas gone quiet. */
    private void consume() {
        long nextClaim = 0;
        boolean grouped = false;
        while (!stopping) {
            int taken = 0;
            try {
                if (!grouped) {
                    group();
                    grouped = true;
                }
                slots.acquire();
                taken = 1 + slots.drainPermits();
                List<StreamMessage<String, String, String>> tasks = List.of();
                long now = System.nanoTime();
                if (now >= nextClaim) {
                    nextClaim = now + config.claimIdle().toNanos() / 2;
                    ClaimedMessages<String, String, String> claimed = stream.xautoclaim(STREAM, GROUP, consumer,
                            config.claimIdle(), "0-0", taken).await().atMost(REDIS_WAIT);
                    tasks = claimed.getMessages();
                    if (!tasks.isEmpty()) {
                        Log.infof("Took over %d batch tasks from replicas silent for %s", tasks.size(),
                                config.claimIdle());
                    }
                }
                if (tasks.isEmpty()) {
                    tasks = stream.xreadgroup(GROUP, consumer, STREAM, ">",
                            new XReadGroupArgs().count(taken).block(Duration.ofSeconds(1)))
                            .await().atMost(REDIS_WAIT.plusSeconds(1));
                }
                slots.release(taken - tasks.size());
                taken = 0;
                for (StreamMessage<String, String, String> task : tasks) {
                    run(task);
                }
                reachable();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                slots.release(taken);
                grouped = grouped && !String.valueOf(e.getMessage()).contains("NOGROUP");
                unreachable(e);
                pause();
            }
        }
    }

    private void group() {
        try {
            stream.xgroupCreate(STREAM, GROUP, "0", new XGroupCreateArgs().mkstream()).await().atMost(REDIS_WAIT);
        } catch (RuntimeException e) {
            if (!String.valueOf(e.getMessage()).contains("BUSYGROUP")) {
                throw e;
            }
        }
    }

    /**
     * Every third of the claim idle time, renews what this replica holds, on a thread of its own: lines may
     * hold every slot for minutes while they wait for the backend's budget, and must not be taken over then.
     */
    private void keepAlive() {
        while (!stopping) {
            try {
                renew();
            } catch (RuntimeException e) {
                unreachable(e);
            }
            pause(config.claimIdle().dividedBy(3));
        }
    }

    /** Resets the idle time of the tasks this replica holds, so that no other replica takes them over. */
    private void renew() {
        if (!held.isEmpty()) {
            stream.xclaim(STREAM, GROUP, consumer, Duration.ZERO, new XClaimArgs().justId(),
                    held.toArray(String[]::new)).await().atMost(REDIS_WAIT);
        }
        for (String id : leases) {
            redis.key(String.class).pexpire(leaseKey(id), config.claimIdle().multipliedBy(2)).await().atMost(REDIS_WAIT);
        }
    }

    /** Runs one task, holding a slot until it is done; acknowledges it unless it must be done again. */
    private void run(StreamMessage<String, String, String> task) {
        held.add(task.id());
        Map<String, String> fields = task.payload();
        String batch = fields.get("batch");
        Uni<Boolean> work = switch (String.valueOf(fields.get("task"))) {
            case "line" -> line(batch, Integer.parseInt(fields.get("line")), Long.parseLong(fields.get("offset")));
            case "validate" -> blocking(() -> validate(batch));
            case "finalize" -> blocking(() -> finish(batch));
            default -> Uni.createFrom().item(true);
        };
        work.onFailure().recoverWithItem(failure -> {
            Log.errorf(failure, "Batch %s: a %s task failed; it is done again after %s", batch, fields.get("task"),
                    config.claimIdle());
            return false;
        }).chain(done -> done ? retried(ACK.run(redis, List.of(STREAM), GROUP, task.id())).replaceWith(true)
                : Uni.createFrom().item(false))
                .subscribe().with(done -> release(task), failure -> release(task));
    }

    private void release(StreamMessage<String, String, String> task) {
        held.remove(task.id());
        slots.release();
    }

    /** One line: scored unless its batch stopped or it was answered already; its answer recorded once. */
    private Uni<Boolean> line(String id, int number, long offset) {
        return known(id).chain(batch -> {
            if (batch == null) {
                return Uni.createFrom().item(true);
            }
            if (now() >= batch.expiresAt()) {
                return expire(id).replaceWith(true);
            }
            return START.run(redis, List.of(batchKey(id), resultsKey(id), inflightKey(id)), Integer.toString(number),
                    consumer).chain(answer -> "go".equals(answer.toString())
                            ? score(batch, number, offset)
                            : Uni.createFrom().item(true));
        });
    }

    private Uni<Boolean> score(Batch batch, int number, long offset) {
        return Uni.createFrom().item(() -> {
            try {
                return files.lineAt(batch.inputFileId(), offset);
            } catch (IOException e) {
                throw new JobsException(JobsException.Kind.UNAVAILABLE, "Input file " + batch.inputFileId()
                        + " cannot be read here (" + e + "); rewardgate.jobs.directory must be shared by every replica");
            }
        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool()).chain(text -> {
            RequestLine line = RequestLine.parse(text);
            return handler.handle(line, batch.owner()).chain(outcome -> record(batch, number, line, outcome));
        });
    }

    /** Records an answer, trying again while Redis is out of reach: a line scored is not scored again. */
    private Uni<Boolean> record(Batch batch, int number, RequestLine line, LineOutcome outcome) {
        String output;
        try {
            output = BatchRules.output(line.customId(), outcome);
        } catch (IOException e) {
            return Uni.createFrom().failure(e);
        }
        String id = batch.id();
        return retried(RECORD.run(redis, List.of(batchKey(id), resultsKey(id), inflightKey(id), STREAM),
                Integer.toString(number), outcome.ok() ? RESULT : ERROR, output, id))
                .invoke(recorded -> {
                    if (recorded.toInteger() == 1) {
                        metrics.line(outcome.ok());
                    }
                })
                .replaceWith(true);
    }

    /** Validates a batch's file, then queues its lines; again from where it stopped if it was interrupted. */
    private boolean validate(String id) throws IOException {
        Batch batch = await(load(id));
        if (batch == null) {
            return true;
        }
        if (batch.status() == Status.VALIDATING) {
            BatchRules.Validation found = BatchRules.validate(files, batch, handler.endpoints(), () -> stopping);
            if (found == null) {
                return false;
            }
            Batch.Counts counts = new Batch.Counts(found.total(), 0, 0);
            Batch next = found.errors().isEmpty() ? batch.counted(counts).moved(Status.IN_PROGRESS, now())
                    : batch.withErrors(found.errors()).counted(counts).moved(Status.FAILED, now());
            if (!await(move(batch, next, Integer.toString(found.total()), null, Status.VALIDATING))) {
                // Cancelled meanwhile: the cancel queued the finalization.
                return true;
            }
            batch = next;
        }
        if (batch.status() != Status.IN_PROGRESS) {
            return true;
        }
        int enqueued = Integer.parseInt(Objects.requireNonNullElse(
                await(redis.hash(String.class).hget(batchKey(id), "enqueued")), "0"));
        return enqueue(batch, enqueued);
    }

    /** Adds a task for each line after the first {@code from}, noting how far it got as it goes. */
    private boolean enqueue(Batch batch, int from) throws IOException {
        List<String> run = new ArrayList<>(2 * CHUNK + 2);
        int requests = 0;
        try (LineReader lines = files.lines(batch.inputFileId())) {
            for (String text = lines.next(); text != null; text = lines.next()) {
                if (text.isBlank() || ++requests <= from) {
                    continue;
                }
                run.add(Long.toString(lines.number()));
                run.add(Long.toString(lines.offset()));
                if (run.size() == 2 * CHUNK && !queued(batch, run, requests)) {
                    return !stopping;
                }
            }
        }
        return run.isEmpty() || queued(batch, run, requests) || !stopping;
    }

    /** Queues a run of lines; whether to go on (the batch is still in progress). */
    private boolean queued(Batch batch, List<String> run, int requests) {
        List<String> args = new ArrayList<>(run.size() + 2);
        args.add(batch.id());
        args.add(Integer.toString(requests));
        args.addAll(run);
        run.clear();
        Response queued = await(ENQUEUE.run(redis, List.of(STREAM, batchKey(batch.id())), args.toArray(String[]::new)));
        return queued.toInteger() == 1 && !stopping;
    }

    /** Moves an in-progress batch past its completion window to finalizing, ending expired. */
    private Uni<Boolean> expire(String id) {
        return load(id).chain(batch -> batch == null || batch.status() != Status.IN_PROGRESS
                ? Uni.createFrom().item(false)
                : move(batch, batch.moved(Status.FINALIZING, now()).endingAs(Status.EXPIRED), null, "finalize",
                        Status.IN_PROGRESS));
    }

    /**
     * Writes a batch's output and error files and ends it, on one replica at a time (the lease); a batch
     * cancelled or expired first waits for its lines in flight on every replica.
     */
    private boolean finish(String id) throws IOException {
        Response leased = await(redis.execute("SET", leaseKey(id), consumer, "NX", "PX",
                Long.toString(config.claimIdle().multipliedBy(2).toMillis())));
        if (leased == null) {
            // Another replica is finishing it. Left unacknowledged, this task comes back after claim-idle: to
            // find the batch ended, or, if that replica died, its lease run out and the work to do.
            return false;
        }
        leases.add(id);
        try {
            Batch batch = await(load(id));
            if (batch == null || batch.status().finished()) {
                return true;
            }
            if (batch.status() == Status.IN_PROGRESS) {
                if (batch.requestCounts().answered() < batch.requestCounts().total()) {
                    return true;
                }
                Batch finalizing = batch.moved(Status.FINALIZING, now()).endingAs(Status.COMPLETED);
                await(move(batch, finalizing, null, null, Status.IN_PROGRESS));
                batch = await(load(id));
            }
            if (batch.status() != Status.FINALIZING && batch.status() != Status.CANCELLING) {
                return true;
            }
            if (batch.ending() != Status.COMPLETED && !drained(id)) {
                return false;
            }
            batch = await(load(id));
            write(batch);
            return true;
        } finally {
            leases.remove(id);
            await(redis.key(String.class).del(leaseKey(id)));
        }
    }

    /** Waits until no replica scores a line of the batch; false when it stops first. */
    private boolean drained(String id) {
        long deadline = System.nanoTime() + config.claimIdle().multipliedBy(3).toNanos();
        while (await(redis.hash(String.class).hlen(inflightKey(id))) > 0) {
            if (stopping || System.nanoTime() > deadline) {
                return false;
            }
            pause(Duration.ofMillis(100));
        }
        return true;
    }

    private void write(Batch batch) throws IOException {
        String id = batch.id();
        StoredFile output = files.write(Ids.file(id, "output"), id + "_output.jsonl", StoredFile.BATCH_OUTPUT,
                batch.owner(), sink -> results(batch, (text, result) -> {
                    if (result != null && result.startsWith(RESULT)) {
                        sink.accept(result.substring(1));
                    }
                }));
        boolean unanswered = batch.ending() != Status.COMPLETED && batch.requestCounts().total() > 0;
        StoredFile errors = files.write(Ids.file(id, "error"), id + "_error.jsonl", StoredFile.BATCH_OUTPUT,
                batch.owner(), sink -> results(batch, (text, result) -> {
                    if (result != null && result.startsWith(ERROR)) {
                        sink.accept(result.substring(1));
                    } else if (result == null && unanswered) {
                        sink.accept(BatchRules.unanswered(text, batch.ending()));
                    }
                }));
        String outputId = files.keptIfAny(output);
        String errorId = files.keptIfAny(errors);
        Batch ended = batch.withFiles(outputId, errorId).moved(batch.ending(), now());
        if (await(move(batch, ended, null, null, Status.FINALIZING, Status.CANCELLING))) {
            await(redis.key(String.class).del(resultsKey(id), inflightKey(id)));
        }
    }

    /** Sees each request line of an input file with its recorded output line ({@code null} if none), in order. */
    @FunctionalInterface
    private interface ResultVisitor {
        void visit(String inputLine, String result) throws IOException;
    }

    private void results(Batch batch, ResultVisitor visitor) throws IOException {
        if (batch.requestCounts().total() == 0) {
            return;
        }
        List<String> numbers = new ArrayList<>(CHUNK);
        List<String> texts = new ArrayList<>(CHUNK);
        try (LineReader lines = files.lines(batch.inputFileId())) {
            for (String text = lines.next(); ; text = lines.next()) {
                if (text != null && !text.isBlank()) {
                    numbers.add(Long.toString(lines.number()));
                    texts.add(text);
                }
                if (numbers.size() == CHUNK || text == null && !numbers.isEmpty()) {
                    Map<String, String> found = await(redis.hash(String.class).hmget(resultsKey(batch.id()),
                            numbers.toArray(String[]::new)));
                    for (int i = 0; i < numbers.size(); i++) {
                        visitor.visit(texts.get(i), found.get(numbers.get(i)));
                    }
                    numbers.clear();
                    texts.clear();
                }
                if (text == null) {
                    return;
                }
            }
        }
    }

    /** Every sweep interval: batches past their window expire, and files past their retention go. */
    private void maintain() {
        while (!stopping) {
            try {
                Set<String> inUse = new HashSet<>();
                for (Batch batch : unfinished()) {
                    inUse.add(batch.inputFileId());
                    if (batch.status() == Status.IN_PROGRESS && now() >= batch.expiresAt()) {
                        await(expire(batch.id()));
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

    private List<Batch> unfinished() {
        List<Batch> batches = new ArrayList<>();
        for (String id : await(redis.set(String.class).smembers(UNFINISHED))) {
            Batch batch = await(load(id));
            if (batch != null && !batch.status().finished()) {
                batches.add(batch);
            }
        }
        return batches;
    }

    /** The batch as stored, with its counts; {@code null} if there is none. */
    private Uni<Batch> load(String id) {
        return redis.hash(String.class).hgetall(batchKey(id)).map(fields -> {
            String state = fields.get("state");
            if (state == null) {
                return null;
            }
            Batch batch = parse(state).counted(new Batch.Counts(number(fields.get("total")),
                    number(fields.get("completed")), number(fields.get("failed"))));
            Batch before = seen.put(id, batch);
            if (before != null && before.status() != batch.status()) {
                log(batch);
            }
            return batch;
        });
    }

    /** A batch's parts that never change: loaded once, then from memory. */
    private Uni<Batch> known(String id) {
        Batch batch = seen.get(id);
        return batch != null ? Uni.createFrom().item(batch) : load(id);
    }

    /** Stores {@code next} if the batch's status is still one of {@code from}; whether it did. */
    private Uni<Boolean> move(Batch batch, Batch next, String total, String task, Status... from) {
        List<String> expected = new ArrayList<>();
        for (Status status : from) {
            expected.add(status.wire());
        }
        return MOVE.run(redis, List.of(batchKey(batch.id()), UNFINISHED, STREAM), String.join(",", expected),
                next.status().wire(), json(next), total == null ? "" : total, task == null ? "" : task, batch.id(),
                next.status().finished() ? "1" : "0", Long.toString(config.fileRetention().toMillis()))
                .map(moved -> {
                    boolean done = moved.toInteger() == 1;
                    if (done) {
                        seen.put(batch.id(), next);
                        log(next);
                    }
                    return done;
                });
    }

    /** A call that must not be lost (an answer, an acknowledgement): tried again while Redis is out of reach. */
    private Uni<Response> retried(Uni<Response> call) {
        return call.onFailure().invoke(this::unreachable)
                .onFailure(failure -> !stopping).retry()
                .withBackOff(Duration.ofMillis(200), Duration.ofSeconds(5)).atMost(Long.MAX_VALUE)
                .invoke(this::reachable);
    }

    private <T> Uni<T> blocking(Callable<T> task) {
        return Uni.createFrom().item(() -> {
            try {
                return task.call();
            } catch (IOException e) {
                throw new JobsException(JobsException.Kind.UNAVAILABLE, e.toString());
            } catch (Exception e) {
                throw e instanceof RuntimeException runtime ? runtime : new IllegalStateException(e);
            }
        }).runSubscriptionOn(threads);
    }

    /** The answer of a call to Redis for the API, or 503 when Redis does not give one in time. */
    private <T> T await(Uni<T> call) {
        try {
            return call.await().atMost(REDIS_WAIT);
        } catch (JobsException e) {
            throw e;
        } catch (RuntimeException e) {
            unreachable(e);
            throw new JobsException(JobsException.Kind.UNAVAILABLE, "Batches cannot be reached now; try again later.");
        }
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

    private void pause() {
        pause(Duration.ofSeconds(1));
    }

    /** Waits between rounds of a background loop; the shutdown interrupts it. */
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

    private void log(Batch batch) {
        Log.infof("Batch %s is %s (%d requests, %d answered, %d failed)", batch.id(), batch.status().wire(),
                batch.requestCounts().total(), batch.requestCounts().completed(), batch.requestCounts().failed());
    }

    private int count(Status status) {
        int n = 0;
        for (Batch batch : seen.values()) {
            if (batch.status() == status) {
                n++;
            }
        }
        return n;
    }

    private int linesWaiting() {
        int waiting = 0;
        for (Batch batch : seen.values()) {
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

    private static String json(Batch batch) {
        try {
            return Json.MAPPER.writeValueAsString(batch);
        } catch (IOException e) {
            throw new IllegalStateException("a batch that cannot be written", e);
        }
    }

    private static Batch parse(String json) {
        try {
            return Json.MAPPER.readValue(json, Batch.class);
        } catch (IOException e) {
            throw new IllegalStateException("an unreadable batch in Redis", e);
        }
    }

    static String batchKey(String id) {
        return PREFIX + "batch:" + id;
    }

    private static String resultsKey(String id) {
        return PREFIX + "results:" + id;
    }

    private static String inflightKey(String id) {
        return PREFIX + "inflight:" + id;
    }

    private static String leaseKey(String id) {
        return PREFIX + "finalizing:" + id;
    }

    private static String ownerKey(String owner) {
        return PREFIX + "owner:" + (owner == null ? "" : owner);
    }
}
