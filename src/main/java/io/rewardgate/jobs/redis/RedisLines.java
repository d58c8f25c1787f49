package io.rewardgate.jobs.redis;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.stream.ReactiveStreamCommands;
import io.quarkus.redis.datasource.stream.StreamMessage;
import io.quarkus.redis.datasource.stream.XReadGroupArgs;
import io.rewardgate.jobs.Batch;
import io.rewardgate.jobs.FileStore;
import io.rewardgate.jobs.JobsConfig;
import io.rewardgate.jobs.JobsMetrics;
import io.rewardgate.jobs.LineHandler.LineOutcome;
import io.rewardgate.jobs.LineScheduler;
import io.rewardgate.redis.LuaScript;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;

/**
 * The lines of one batch of the Redis store, as this replica takes them from the batch's queue
 * ({@code lines:<id>}, consumer group {@code workers}, each replica a consumer): new entries, and every
 * half claim-idle those another replica has held longer than claim-idle without a sign of life (XAUTOCLAIM,
 * from where the last claim stopped). A line is started by a script only while its batch is in progress and
 * not yet answered; its answer is recorded, and its entry taken off the queue, by one script.
 */
final class RedisLines implements LineScheduler.Source {

    private static final LuaScript START = LuaScript.named("jobs-start");
    private static final LuaScript RECORD = LuaScript.named("jobs-record");
    private static final Duration REDIS_WAIT = Duration.ofSeconds(5);

    /** What this replica shares with the lines of all its batches. */
    record Context(RedisJobs jobs, ReactiveStreamCommands<String, String, String> stream, FileStore files,
            JobsConfig config, JobsMetrics metrics, String consumer, HeldEntries held, RedisPressure pressure,
            Retrier retrier) {}

    /** Tries a call that must not be lost (an answer) again while Redis is out of reach. */
    @FunctionalInterface
    interface Retrier {
        Uni<Response> retried(Uni<Response> call);
    }

    private final Context context;
    private final String batchId;
    private final String owner;
    private final String inputFileId;
    private final String queue;
    /** Entries read but not started (Redis refused to mark them in flight): tried first next time. */
    private final Deque<StreamMessage<String, String, String>> unstarted = new ArrayDeque<>();
    private String claimCursor = "0-0";
    private long nextClaim;

    RedisLines(Context context, Batch batch) {
        this.context = context;
        this.batchId = batch.id();
        this.owner = batch.owner();
        this.inputFileId = batch.inputFileId();
        this.queue = RedisJobs.lines(batchId);
    }

    @Override
    public String batchId() {
        return batchId;
    }

    @Override
    public String owner() {
        return owner;
    }

    @Override
    public List<LineScheduler.Line> take(int max) throws IOException {
        if (context.pressure().paused()) {
            return List.of();
        }
        // Entries read and not started are tried again first; every failure below puts them back.
        List<StreamMessage<String, String, String>> entries = new ArrayList<>(unstarted);
        unstarted.clear();
        try {
            if (entries.size() < max) {
                entries.addAll(read(max - entries.size()));
            }
        } catch (RuntimeException e) {
            unstarted.addAll(entries);
            if (String.valueOf(e.getMessage()).contains("NOGROUP")) {
                // No queue: not made yet, or deleted as the batch stopped.
                return inProgress() ? List.of() : null;
            }
            throw e;
        }
        List<LineScheduler.Line> lines = new ArrayList<>(entries.size());
        for (int i = 0; i < entries.size(); i++) {
            StreamMessage<String, String, String> entry = entries.get(i);
            context.held().add(queue, entry.id());
            long number = Long.parseLong(entry.payload().get("line"));
            String answer;
            try {
                answer = START.run(context.jobs().redis(), List.of(RedisJobs.batch(batchId),
                        RedisJobs.results(batchId), RedisJobs.inflight(batchId), RedisJobs.answered(batchId),
                        RedisJobs.TASKS, queue), Long.toString(number), context.consumer(),
                        Integer.toString(context.config().queueWindow()), batchId, entry.id())
                        .await().atMost(REDIS_WAIT).toString();
            } catch (RuntimeException e) {
                if (RedisJobs.full(e)) {
                    context.pressure().full();
                }
                unstarted.addAll(entries.subList(i, entries.size()));
                break;
            }
            context.pressure().room();
            if ("go".equals(answer)) {
                String text;
                try {
                    text = context.files().lineAt(inputFileId, Long.parseLong(entry.payload().get("offset")));
                } catch (IOException e) {
                    unstarted.addAll(entries.subList(i, entries.size()));
                    if (lines.isEmpty()) {
                        throw e;
                    }
                    return lines;
                }
                lines.add(new LineScheduler.Line(number, text, entry.id()));
            } else if ("done".equals(answer)) {
                // Answered already: the script took it off the queue.
                context.held().remove(queue, entry.id());
            } else {
                // The batch is no longer in progress: nothing of it starts any more.
                context.held().remove(queue, entry.id());
                return lines.isEmpty() ? null : lines;
            }
        }
        return lines;
    }

    /** New entries, or, every half claim-idle, those of replicas silent longer than claim-idle. */
    private List<StreamMessage<String, String, String>> read(int count) {
        long now = System.nanoTime();
        if (now - nextClaim >= 0) {
            nextClaim = now + context.config().claimIdle().toNanos() / 2;
            var claimed = context.stream().xautoclaim(queue, RedisJobs.GROUP, context.consumer(),
                    context.config().claimIdle(), claimCursor, count).await().atMost(REDIS_WAIT);
            claimCursor = claimed.getId();
            if (!claimed.getMessages().isEmpty()) {
                Log.infof("Batch %s: took over %d lines from replicas silent for %s", batchId,
                        claimed.getMessages().size(), context.config().claimIdle());
                return claimed.getMessages();
            }
        }
        return context.stream().xreadgroup(RedisJobs.GROUP, context.consumer(), queue, ">",
                new XReadGroupArgs().count(count)).await().atMost(REDIS_WAIT);
    }

    private boolean inProgress() {
        String status = context.jobs().redis().hash(String.class).hget(RedisJobs.batch(batchId), "status")
                .await().atMost(REDIS_WAIT);
        return Batch.Status.IN_PROGRESS.wire().equals(status);
    }

    @Override
    public Uni<Void> record(LineScheduler.Line line, LineOutcome outcome) {
        String output = line.output(outcome);
        JobsConfig config = context.config();
        return context.retrier().retried(RECORD.run(context.jobs().redis(), List.of(RedisJobs.batch(batchId),
                        RedisJobs.results(batchId), RedisJobs.inflight(batchId), RedisJobs.TASKS,
                        RedisJobs.answered(batchId), queue),
                        Long.toString(line.number), outcome.ok() ? RedisJobs.RESULT : RedisJobs.ERROR, output, batchId,
                        line.handle, Integer.toString(config.chunkLines()), Integer.toString(config.queueWindow())))
                .invoke(recorded -> {
                    context.held().remove(queue, line.handle);
                    if (recorded.toInteger() == 1) {
                        context.metrics().line(outcome.ok());
                    }
                })
                .replaceWithVoid();
    }

    @Override
    public void abandon(LineScheduler.Line line) {
        // Left on the queue unacknowledged and no longer renewed: another replica takes it over after claim-idle,
        // unless the batch stopped and its queue went with it.
        context.held().remove(queue, line.handle);
        context.jobs().redis().hash(String.class).hdel(RedisJobs.inflight(batchId), Long.toString(line.number))
                .subscribe().with(ignored -> {}, failure -> {});
    }

    @Override
    public void drained() {
        // The replica finalizing the batch waits for the lines in flight on every replica itself.
    }
}
