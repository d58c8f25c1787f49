package io.rewardgate.jobs.redis;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.core.type.TypeReference;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.rewardgate.jobs.Batch;
import io.rewardgate.jobs.Batch.Status;
import io.rewardgate.jobs.Batches;
import io.rewardgate.jobs.JobsException;
import io.rewardgate.jobs.Json;
import io.rewardgate.redis.LuaScript;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;

/**
 * The Redis store's keys and the scripts that change them, under {@code rewardgate:v1:jobs:}. Per batch:
 * {@code batch:<id>} (a hash: the batch as JSON, its status, its counts, how far its input file is queued, and
 * its validation errors apart from the rest), {@code lines:<id>} (a stream with the consumer group
 * {@code workers}: the window of its lines queued now), {@code answered:<id>} (a bit per answered line, so that
 * an answer is kept once), {@code results:<id>} (answers waiting to be moved to the volume),
 * {@code chunk:<id>:<n>} (answers being moved), {@code inflight:<id>} (lines being scored, so that a cancel can
 * wait for them) and {@code finalizing:<id>} (the lease of the one replica writing its output). Per key:
 * {@code owner:<name>} (its batches by creation) and {@code active:<name>} (those validating or in progress). Per
 * file: {@code readers:<id>} (batches that have not ended reading it) and {@code deleted:<id>} (a mark that keeps
 * a batch from being created over it). Besides: {@code tasks} (the control tasks, a stream with the group
 * {@code workers}), {@code unfinished} and {@code running} (the batches with lines to hand out).
 *
 * <p>An ended batch keeps its hash as long as its files, {@code rewardgate.jobs.file-retention}; everything
 * else of it is deleted when it ends. Redis holds a few kilobytes per batch whatever its size: a queue window,
 * a chunk of answers, a bit per line. The scripts name some keys they derive from their arguments (a page's
 * batches, a chunk), so the store needs one Redis server, not a cluster.
 */
final class RedisJobs {

    static final String PREFIX = "rewardgate:v1:jobs:";
    static final String TASKS = PREFIX + "tasks";
    static final String GROUP = "workers";
    static final String EVENTS = PREFIX + "events";
    static final String UNFINISHED = PREFIX + "unfinished";
    static final String RUNNING = PREFIX + "running";
    /** What an answer is stored as: {@code o} with scores, {@code e} an error, then its output line. */
    static final String RESULT = "o";
    static final String ERROR = "e";

    private static final LuaScript CREATE = LuaScript.named("jobs-create");
    private static final LuaScript MOVE = LuaScript.named("jobs-move");
    private static final LuaScript PAGE = LuaScript.named("jobs-page");
    private static final LuaScript LEASE = LuaScript.named("jobs-lease");
    private static final LuaScript DELETE_FILE = LuaScript.named("jobs-delete-file");
    private static final TypeReference<List<Batch.LineError>> ERRORS = new TypeReference<>() {};

    private final ReactiveRedisDataSource redis;
    private final Duration retention;

    RedisJobs(ReactiveRedisDataSource redis, Duration retention) {
        this.redis = redis;
        this.retention = retention;
    }

    ReactiveRedisDataSource redis() {
        return redis;
    }

    /** Stores a new batch with its first task; {@code ok}, {@code gone} (its file was deleted) or {@code limited}. */
    Uni<String> create(Batch batch, int maxActive) {
        return CREATE.run(redis, List.of(batch(batch.id()), owner(batch.owner()), UNFINISHED, TASKS,
                active(batch.owner()), readers(batch.inputFileId()), deleted(batch.inputFileId())),
                json(batch), batch.status().wire(), Long.toString(batch.createdMillis()), batch.id(),
                Integer.toString(maxActive), Objects.requireNonNullElse(batch.owner(), ""))
                .map(Response::toString);
    }

    /** The batch as stored, with its counts and, when {@code withErrors}, its validation errors; or {@code null}. */
    Uni<Batch> load(String id, boolean withErrors) {
        return redis.hash(String.class).hgetall(batch(id)).map(fields -> {
            String state = fields.get("state");
            if (state == null) {
                return null;
            }
            Batch batch = parse(state).counted(counts(fields.get("total"), fields.get("completed"),
                    fields.get("failed")));
            return withErrors && fields.get("errors") != null ? batch.withErrors(errors(fields.get("errors"))) : batch;
        });
    }

    /** Fields of the batch's hash, as they are. */
    Uni<Map<String, String>> fields(String id) {
        return redis.hash(String.class).hgetall(batch(id));
    }

    /**
     * Stores {@code next} if the batch's status is still one of {@code from}, queueing {@code task} with it;
     * whether it did.
     */
    Uni<Boolean> move(Batch batch, Batch next, Integer total, String task, Status... from) {
        List<String> expected = new ArrayList<>();
        for (Status status : from) {
            expected.add(status.wire());
        }
        String id = batch.id();
        List<Batch.LineError> errors = next.errors();
        return MOVE.run(redis, List.of(batch(id), UNFINISHED, TASKS, lines(id), active(batch.owner()), RUNNING,
                readers(batch.inputFileId()), results(id), answered(id), inflight(id)),
                String.join(",", expected), next.status().wire(), json(next.withErrors(null)),
                total == null ? "" : total.toString(), task == null ? "" : task, id,
                Long.toString(retention.toMillis()), errors == null || errors.isEmpty() ? "" : write(errors), EVENTS)
                .map(moved -> moved.toInteger() == 1);
    }

    /** A page of {@code owner}'s batches, newest first, after {@code after}; in one call. */
    Uni<Batches.Page> page(String owner, String after, int limit) {
        return PAGE.run(redis, List.of(owner(owner)), after == null ? "" : after, Integer.toString(limit),
                PREFIX + "batch:").map(reply -> {
                    if (reply.type() != io.vertx.redis.client.ResponseType.MULTI) {
                        throw new JobsException(JobsException.Kind.INVALID, "after names no item of this list.",
                                "after");
                    }
                    List<Batch> batches = new ArrayList<>();
                    for (int i = 1; i + 5 < reply.size(); i += 6) {
                        Batch batch = parse(reply.get(i + 1).toString()).counted(counts(text(reply.get(i + 2)),
                                text(reply.get(i + 3)), text(reply.get(i + 4))));
                        Response errors = reply.get(i + 5);
                        batches.add(errors == null ? batch : batch.withErrors(errors(errors.toString())));
                    }
                    return new Batches.Page(batches, reply.get(0).toInteger() == 1);
                });
    }

    /** Marks a file deleted unless an unfinished batch reads it: {@code ok}, or that batch's id. */
    Uni<String> deleteFile(String fileId) {
        return DELETE_FILE.run(redis, List.of(readers(fileId), deleted(fileId)), Long.toString(retention.toMillis()))
                .map(Response::toString);
    }

    /** Takes the lease of finalizing a batch for {@code token}; whether it was free. */
    Uni<Boolean> lease(String id, String token, Duration lease) {
        return redis.execute("SET", lease(id), token, "NX", "PX", Long.toString(lease.toMillis()))
                .map(Objects::nonNull);
    }

    /** Renews the lease if {@code token} still holds it. */
    Uni<Boolean> renewLease(String id, String token, Duration lease) {
        return LEASE.run(redis, List.of(lease(id)), token, "renew", Long.toString(lease.toMillis()))
                .map(done -> done.toInteger() == 1);
    }

    /** Releases the lease if {@code token} still holds it. */
    Uni<Boolean> releaseLease(String id, String token) {
        return LEASE.run(redis, List.of(lease(id)), token, "release", "0").map(done -> done.toInteger() == 1);
    }

    static String batch(String id) {
        return PREFIX + "batch:" + id;
    }

    static String lines(String id) {
        return PREFIX + "lines:" + id;
    }

    static String results(String id) {
        return PREFIX + "results:" + id;
    }

    static String chunkPrefix(String id) {
        return PREFIX + "chunk:" + id + ":";
    }

    static String answered(String id) {
        return PREFIX + "answered:" + id;
    }

    static String inflight(String id) {
        return PREFIX + "inflight:" + id;
    }

    static String lease(String id) {
        return PREFIX + "finalizing:" + id;
    }

    static String owner(String owner) {
        return PREFIX + "owner:" + Objects.requireNonNullElse(owner, "");
    }

    static String active(String owner) {
        return PREFIX + "active:" + Objects.requireNonNullElse(owner, "");
    }

    static String readers(String fileId) {
        return PREFIX + "readers:" + fileId;
    }

    static String deleted(String fileId) {
        return PREFIX + "deleted:" + fileId;
    }

    /** Whether Redis refused a write for want of memory ({@code maxmemory} reached, {@code noeviction}). */
    static boolean full(Throwable failure) {
        for (Throwable e = failure; e != null; e = e.getCause()) {
            if (String.valueOf(e.getMessage()).contains("OOM")) {
                return true;
            }
        }
        return false;
    }

    private static String text(Response response) {
        return response == null ? null : response.toString();
    }

    private static Batch.Counts counts(String total, String completed, String failed) {
        return new Batch.Counts(number(total), number(completed), number(failed));
    }

    private static int number(String text) {
        return text == null ? 0 : Integer.parseInt(text);
    }

    static String json(Batch batch) {
        return write(batch);
    }

    private static String write(Object value) {
        try {
            return Json.MAPPER.writeValueAsString(value);
        } catch (IOException e) {
            throw new IllegalStateException("a batch that cannot be written", e);
        }
    }

    static Batch parse(String json) {
        try {
            return Json.MAPPER.readValue(json, Batch.class);
        } catch (IOException e) {
            throw new IllegalStateException("an unreadable batch in Redis", e);
        }
    }

    private static List<Batch.LineError> errors(String json) {
        try {
            return Json.MAPPER.readValue(json, ERRORS);
        } catch (IOException e) {
            throw new IllegalStateException("unreadable batch errors in Redis", e);
        }
    }
}
