package io.rewardgate.jobs.redis;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import io.quarkus.logging.Log;
import io.rewardgate.jobs.Batch;
import io.rewardgate.jobs.Batch.Status;
import io.rewardgate.jobs.BatchRules;
import io.rewardgate.jobs.FileStore;
import io.rewardgate.jobs.JobsConfig;
import io.rewardgate.jobs.LineReader;
import io.rewardgate.jobs.Outputs;
import io.rewardgate.redis.LuaScript;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;

/**
 * The control tasks of the Redis store, each run by one replica at a time (at least once; each safe to run
 * again): validating a batch's file and queueing its first lines, queueing the next lines as a batch's queue
 * half empties ({@code rewardgate.jobs.queue-window}), moving a chunk of answers from Redis to the volume
 * ({@code rewardgate.jobs.chunk-lines}), and finalizing a batch: its output files written from its chunks on
 * one replica at a time (a lease), after the lines in flight on every replica are recorded for a batch that
 * stopped early. Each answers whether it is done (the task is then acknowledged) or must be done again.
 */
final class RedisTasks {

    private static final LuaScript ENQUEUE = LuaScript.named("jobs-enqueue");
    private static final LuaScript DRAIN = LuaScript.named("jobs-drain");
    private static final Duration REDIS_WAIT = Duration.ofSeconds(5);

    private final RedisJobs jobs;
    private final FileStore files;
    private final Chunks chunks;
    private final JobsConfig config;
    private final List<String> endpoints;
    private final Clock clock;
    private final String consumer;
    private final BooleanSupplier stopping;
    private final Consumer<Batch> moved;
    /** The batches whose finalization lease this replica holds: renewed until done. */
    final Set<String> leases = ConcurrentHashMap.newKeySet();

    /** @param moved told of each change of status this replica makes */
    RedisTasks(RedisJobs jobs, FileStore files, Chunks chunks, JobsConfig config, List<String> endpoints, Clock clock,
            String consumer, BooleanSupplier stopping, Consumer<Batch> moved) {
        this.jobs = jobs;
        this.files = files;
        this.chunks = chunks;
        this.config = config;
        this.endpoints = endpoints;
        this.clock = clock;
        this.consumer = consumer;
        this.stopping = stopping;
        this.moved = moved;
    }

    /** Runs a task of the stream; whether it is done. */
    boolean run(String task, String id) throws IOException {
        return switch (task) {
            case "validate" -> validate(id);
            case "refill" -> refill(id);
            case "flush" -> flush(id);
            case "finalize" -> finish(id);
            // A line task of an earlier version, which queued every line here: the batch's queue has it now.
            default -> true;
        };
    }

    /** Validates a batch's file, then queues its first lines; again from the start if it was interrupted. */
    private boolean validate(String id) throws IOException {
        Batch batch = await(jobs.load(id, false));
        if (batch == null || batch.status() != Status.VALIDATING) {
            return true;
        }
        BatchRules.Validation found = BatchRules.validate(files, batch, endpoints, stopping);
        if (found == null) {
            return false;
        }
        Batch.Counts counts = new Batch.Counts(found.total(), 0, 0);
        Batch next = found.errors().isEmpty() ? batch.counted(counts).moved(Status.IN_PROGRESS, now())
                : batch.withErrors(found.errors()).counted(counts).moved(Status.FAILED, now());
        if (!move(batch, next, found.total(), null, Status.VALIDATING)) {
            // Cancelled meanwhile: the cancel queued the finalization.
            return true;
        }
        return next.status() != Status.IN_PROGRESS || refill(id);
    }

    /**
     * Queues the batch's next lines, up to its window less the lines queued and not answered, from where the
     * last run stopped in its input file.
     */
    boolean refill(String id) throws IOException {
        Map<String, String> fields = await(jobs.fields(id));
        Batch batch = fields.get("state") == null ? null : RedisJobs.parse(fields.get("state"));
        if (batch == null || !Status.IN_PROGRESS.wire().equals(fields.get("status"))) {
            return true;
        }
        int total = number(fields.get("total"));
        int queued = number(fields.get("queued"));
        int answered = number(fields.get("completed")) + number(fields.get("failed"));
        int room = Math.min(config.queueWindow() - (queued - answered), total - queued);
        List<String> args = new ArrayList<>();
        args.add(Integer.toString(queued));
        args.add("");
        args.add("");
        args.add("");
        int count = 0;
        long offsetAfter;
        long numberAfter;
        try (LineReader lines = files.linesFrom(batch.inputFileId(), number(fields.get("offset")),
                number(fields.get("number")))) {
            while (true) {
                String text = lines.next();
                if (text == null || count >= room && !text.isBlank()) {
                    offsetAfter = lines.offset();
                    numberAfter = text == null ? lines.number() : lines.number() - 1;
                    break;
                }
                if (!text.isBlank()) {
                    args.add(Long.toString(lines.number()));
                    args.add(Long.toString(lines.offset()));
                    count++;
                }
            }
        }
        args.set(1, Integer.toString(queued + count));
        args.set(2, Long.toString(offsetAfter));
        args.set(3, Long.toString(numberAfter));
        await(ENQUEUE.run(jobs.redis(), List.of(RedisJobs.lines(id), RedisJobs.batch(id)),
                args.toArray(String[]::new)));
        return true;
    }

    /** Moves the answers waiting in Redis to the volume as the next chunk. */
    private boolean flush(String id) throws IOException {
        Response taken = await(DRAIN.run(jobs.redis(), List.of(RedisJobs.batch(id), RedisJobs.results(id)),
                RedisJobs.chunkPrefix(id)));
        if (taken.toLong() > 0) {
            writeChunk(id, taken.toLong());
        }
        return true;
    }

    /** Writes a chunk taken from Redis to the volume, then deletes it from Redis: in that order, durably. */
    private void writeChunk(String id, long number) throws IOException {
        String key = RedisJobs.chunkPrefix(id) + number;
        Map<String, String> answers = await(jobs.redis().hash(String.class).hgetall(key));
        if (!answers.isEmpty()) {
            chunks.write(id, number, answers);
        }
        await(jobs.redis().key(String.class).del(key));
    }

    /**
     * Writes a batch's output and error files and ends it, on one replica at a time (the lease); a batch
     * cancelled or expired first waits for its lines in flight on every replica.
     */
    private boolean finish(String id) throws IOException {
        Duration lease = config.claimIdle().multipliedBy(2);
        if (!await(jobs.lease(id, consumer, lease))) {
            // Another replica is finishing it. Left unacknowledged, this task comes back after claim-idle: to
            // find the batch ended, or, if that replica died, its lease run out and the work to do.
            return false;
        }
        leases.add(id);
        try {
            Batch batch = await(jobs.load(id, false));
            if (batch == null || batch.status().finished()) {
                return true;
            }
            if (batch.status() == Status.IN_PROGRESS) {
                if (batch.requestCounts().answered() < batch.requestCounts().total()) {
                    return true;
                }
                move(batch, batch.moved(Status.FINALIZING, now()).endingAs(Status.COMPLETED), null, null,
                        Status.IN_PROGRESS);
                batch = await(jobs.load(id, false));
            }
            if (batch.status() != Status.FINALIZING && batch.status() != Status.CANCELLING) {
                return true;
            }
            if (batch.ending() != Status.COMPLETED && !drained(id)) {
                return false;
            }
            // Sealed before its counts are read: a line whose replica seemed gone but answers after all is then
            // refused and listed as not answered, rather than counted and missing from the output.
            await(jobs.redis().hash(String.class).hset(RedisJobs.batch(id), "sealed", "1"));
            write(await(jobs.load(id, false)));
            return true;
        } finally {
            leases.remove(id);
            jobs.releaseLease(id, consumer).subscribe().with(ignored -> {}, failure -> {});
        }
    }

    /**
     * Waits until no live replica scores a line of the batch (a line marked in flight by a replica silent longer
     * than claim-idle will not be answered); false when it stops first.
     */
    private boolean drained(String id) {
        long deadline = System.nanoTime() + config.claimIdle().multipliedBy(3).toNanos();
        while (scoring(id)) {
            if (stopping.getAsBoolean() || System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    /** Whether a live replica has a line of the batch in flight. */
    private boolean scoring(String id) {
        Map<String, String> inflight = await(jobs.redis().hash(String.class).hgetall(RedisJobs.inflight(id)));
        if (inflight.isEmpty()) {
            return false;
        }
        Set<String> alive = new HashSet<>();
        Response consumers = await(jobs.redis().execute("XINFO", "CONSUMERS", RedisJobs.TASKS, RedisJobs.GROUP));
        for (Response consumer : consumers) {
            Map<String, String> fields = fields(consumer);
            if (Long.parseLong(fields.getOrDefault("idle", "0")) < config.claimIdle().toMillis()) {
                alive.add(fields.get("name"));
            }
        }
        return inflight.values().stream().anyMatch(alive::contains);
    }

    /** A reply's fields: Redis answers a map (RESP3) or a flat list of names and values (RESP2), read alike. */
    private static Map<String, String> fields(Response reply) {
        Map<String, String> fields = new HashMap<>();
        for (String key : reply.getKeys()) {
            fields.put(key, String.valueOf(reply.get(key)));
        }
        return fields;
    }

    /** Moves every answer to the volume, writes the output files from the chunks, then ends the batch. */
    private void write(Batch batch) throws IOException {
        String id = batch.id();
        flush(id);
        long count = number(await(jobs.redis().hash(String.class).hget(RedisJobs.batch(id), "chunks")));
        for (long number = 1; number <= count; number++) {
            // Taken from Redis by a replica that died before it wrote them: written now.
            if (await(jobs.redis().key(String.class).exists(RedisJobs.chunkPrefix(id) + number))) {
                writeChunk(id, number);
            }
        }
        BitSet answered = new BitSet();
        chunks.replay(id, count, entry -> answered.set(entry.line()));
        List<Batch.LineError> unrecorded = new ArrayList<>();
        Outputs.Written written = Outputs.write(files, batch,
                sink -> chunks.replay(id, count, entry -> sink.accept(entry.ok(), entry.output())),
                line -> answered.get((int) line), unrecorded);
        Batch ended = batch.withFiles(written.outputId(), written.errorId()).moved(batch.ending(), now());
        if (move(batch, ended, null, null, Status.FINALIZING, Status.CANCELLING)) {
            chunks.delete(id);
        }
    }

    boolean move(Batch batch, Batch next, Integer total, String task, Status... from) {
        boolean done = await(jobs.move(batch, next, total, task, from));
        if (done) {
            moved.accept(next);
        }
        return done;
    }

    private long now() {
        return clock.instant().getEpochSecond();
    }

    private static int number(String text) {
        return text == null ? 0 : Integer.parseInt(text);
    }

    private static <T> T await(Uni<T> call) {
        try {
            return call.await().atMost(REDIS_WAIT);
        } catch (RuntimeException e) {
            Log.debugf("A batch task's call to Redis failed: %s", e.toString());
            throw e;
        }
    }
}
