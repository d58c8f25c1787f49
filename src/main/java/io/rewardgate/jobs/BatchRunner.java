package io.rewardgate.jobs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;

import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.rewardgate.jobs.Batch.Status;
import io.rewardgate.jobs.LineHandler.LineOutcome;
import io.rewardgate.observability.JobsMetrics;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Vertx;

/**
 * Runs batches from their input file to their output: validates the file, answers each line through the
 * {@link LineHandler} (so through the same scoring path as a synchronous request), records every answer in the
 * batch's {@link Journal} as it comes, and at the end writes the output and error files. A batch outlives the
 * process: at start, every batch that had not ended goes on where its journal says it stopped, so that no
 * request answered before a kill is sent again. On shutdown, lines in flight get
 * {@code rewardgate.jobs.drain-timeout} to finish and be recorded.
 *
 * <p>Each running batch has one thread of its own that reads its input and hands lines on, at most
 * {@code rewardgate.jobs.line-concurrency} at once; the lines themselves are scored without blocking.
 */
@ApplicationScoped
public class BatchRunner {

    /** The only completion window OpenAI's Batch API offers. */
    public static final String COMPLETION_WINDOW = "24h";
    private static final Duration WINDOW = Duration.ofHours(24);
    /** More validation errors than this are not listed: the first ones tell what is wrong with a file. */
    private static final int MAX_ERRORS = 1000;
    private static final int MAX_METADATA = 16;

    /** Why a running batch stops before its last line. */
    private enum Stop { CANCEL, EXPIRE, SHUTDOWN }

    private final JobsConfig config;
    private final FileStore files;
    private final BatchStore store;
    private final LineHandler handler;
    private final JobsMetrics metrics;
    private final Vertx vertx;
    private final Clock clock;
    private final ExecutorService threads = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "rewardgate-batch");
        thread.setDaemon(true);
        return thread;
    });
    private final Map<String, Running> running = new ConcurrentHashMap<>();
    private final Map<String, Status> statuses = new ConcurrentHashMap<>();
    private volatile boolean stopping;
    private long sweeper = -1;

    @Inject
    public BatchRunner(JobsConfig config, FileStore files, BatchStore store, LineHandler handler, JobsMetrics metrics,
            Vertx vertx, Clock clock) {
        this.config = config;
        this.files = files;
        this.store = store;
        this.handler = handler;
        this.metrics = metrics;
        this.vertx = vertx;
        this.clock = clock;
    }

    void start(@Observes StartupEvent event) {
        metrics.watch(this, this::count, BatchRunner::linesWaiting);
        List<Batch> batches;
        try {
            batches = store.all();
        } catch (JobsException unreadable) {
            Log.errorf("Batches cannot be read from %s; none is resumed", config.directory());
            return;
        }
        for (Batch batch : batches) {
            statuses.put(batch.id(), batch.status());
            if (!batch.status().finished()) {
                Log.infof("Batch %s resumes, %s", batch.id(), batch.status().wire());
                launch(batch);
            }
        }
        sweeper = vertx.setPeriodic(config.sweepInterval().toMillis(), id -> threads.execute(this::sweep));
    }

    void stop(@Observes ShutdownEvent event) {
        stopping = true;
        if (sweeper >= 0) {
            vertx.cancelTimer(sweeper);
        }
        List<Running> now = new ArrayList<>(running.values());
        now.forEach(r -> r.stop(Stop.SHUTDOWN));
        long deadline = System.nanoTime() + config.drainTimeout().plusSeconds(1).toNanos();
        for (Running r : now) {
            try {
                r.ended.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        threads.shutdownNow();
    }

    /** Creates a batch over {@code inputFileId} and starts it. */
    public Batch create(String inputFileId, String endpoint, String completionWindow, Map<String, String> metadata,
            String owner) {
        if (endpoint == null || !handler.endpoints().contains(endpoint)) {
            throw new JobsException(JobsException.Kind.INVALID,
                    "endpoint must be one of " + String.join(", ", handler.endpoints()) + ".", "endpoint");
        }
        if (!COMPLETION_WINDOW.equals(completionWindow)) {
            throw new JobsException(JobsException.Kind.INVALID, "completion_window must be '24h'.",
                    "completion_window");
        }
        checkMetadata(metadata);
        if (inputFileId == null) {
            throw new JobsException(JobsException.Kind.INVALID, "input_file_id is required.", "input_file_id");
        }
        StoredFile input = files.find(inputFileId, owner).orElseThrow(() -> new JobsException(
                JobsException.Kind.NOT_FOUND, "No such file: '" + Ids.shown(inputFileId) + "'.", "input_file_id"));
        if (!StoredFile.BATCH.equals(input.purpose())) {
            throw new JobsException(JobsException.Kind.INVALID,
                    "input_file_id must name a file uploaded with purpose 'batch'.", "input_file_id");
        }
        if (stopping) {
            throw new JobsException(JobsException.Kind.UNAVAILABLE, "The service is shutting down; try again later.");
        }
        long millis = clock.millis();
        Batch batch = Batch.created(Ids.batch(), endpoint, inputFileId, completionWindow, millis,
                millis / 1000 + WINDOW.toSeconds(), metadata, owner);
        save(batch);
        launch(batch);
        return batch;
    }

    /** The batch as it is now, if {@code owner} may see it. */
    public Batch get(String id, String owner) {
        Running r = running.get(id);
        Batch batch = r != null ? r.batch() : store.find(id).orElse(null);
        if (batch == null || !Objects.equals(batch.owner(), owner)) {
            throw JobsException.notFound("batch", id);
        }
        return batch;
    }

    /** {@code owner}'s batches, newest first. */
    public List<Batch> list(String owner) {
        List<Batch> batches = new ArrayList<>();
        for (Batch kept : store.all()) {
            Running r = running.get(kept.id());
            Batch batch = r != null ? r.batch() : kept;
            if (Objects.equals(batch.owner(), owner)) {
                batches.add(batch);
            }
        }
        batches.sort(Comparator.comparingLong(Batch::createdMillis).reversed().thenComparing(Batch::id));
        return batches;
    }

    /**
     * Cancels a batch that is validating or in progress: no line starts after this, the lines in flight finish
     * and are kept, and the batch ends {@code cancelled} with the output of what was answered.
     */
    public Batch cancel(String id, String owner) {
        get(id, owner);
        Running r = running.get(id);
        if (r != null) {
            // Checked and changed in one step: the batch's own thread may be moving it to finalizing meanwhile.
            synchronized (r) {
                if (r.batch().status() == Status.CANCELLING) {
                    return r.batch();
                }
                refuseUnlessCancellable(r.batch());
                Batch cancelling = commit(r, b -> b.moved(Status.CANCELLING, now()).endingAs(Status.CANCELLED));
                r.stop(Stop.CANCEL);
                return cancelling;
            }
        }
        synchronized (this) {
            if (running.containsKey(id)) {
                return cancel(id, owner);
            }
            // Not running (ended, or its thread failed): what is stored is its last state, saved before it stopped.
            Batch batch = store.find(id).orElseThrow(() -> JobsException.notFound("batch", id));
            if (batch.status() == Status.CANCELLING) {
                return batch;
            }
            refuseUnlessCancellable(batch);
            Batch cancelling = batch.moved(Status.CANCELLING, now()).endingAs(Status.CANCELLED);
            save(cancelling);
            launch(cancelling);
            return cancelling;
        }
    }

    private static void refuseUnlessCancellable(Batch batch) {
        if (batch.status() != Status.VALIDATING && batch.status() != Status.IN_PROGRESS) {
            throw new JobsException(JobsException.Kind.INVALID,
                    "A batch that is " + batch.status().wire() + " cannot be cancelled.", null);
        }
    }

    /**
     * Deletes a file, unless it is the input of a batch that has not ended: that batch reads it again to
     * resume after a restart and to list what it did not answer.
     */
    public boolean deleteFile(String id, String owner) {
        // Another key learns nothing of the file, not even that a batch reads it.
        if (files.find(id, owner).isEmpty()) {
            return false;
        }
        Batch reading = unfinishedByInput().get(id);
        if (reading != null) {
            throw new JobsException(JobsException.Kind.INVALID, "The file is the input of " + reading.id()
                    + ", which is " + reading.status().wire() + "; it can be deleted once the batch has ended.",
                    "file_id");
        }
        return files.delete(id, owner);
    }

    private synchronized void launch(Batch batch) {
        Running r = new Running(batch);
        running.put(batch.id(), r);
        threads.execute(() -> {
            try {
                drive(r);
            } catch (RuntimeException | IOException e) {
                Log.errorf(e, "Batch %s stopped on a failure; it resumes at the next start", batch.id());
            } finally {
                running.remove(batch.id());
                r.ended.countDown();
            }
        });
    }

    /** Takes a batch from where it is to its end, or to a stop for shutdown. */
    private void drive(Running r) throws IOException {
        if (r.batch().status() == Status.VALIDATING) {
            validate(r);
        }
        if (r.batch().status() == Status.IN_PROGRESS) {
            Stop stop = execute(r);
            if (stop == Stop.SHUTDOWN) {
                Log.infof("Batch %s pauses for the shutdown at %d of %d lines; it resumes at the next start",
                        r.batch().id(), answered(r.batch()), r.batch().requestCounts().total());
                return;
            }
            Status ending = stop == Stop.EXPIRE ? Status.EXPIRED : Status.COMPLETED;
            // A cancel that came meanwhile stands, whatever stopped the lines.
            commit(r, b -> b.status() == Status.CANCELLING ? b : b.moved(Status.FINALIZING, now()).endingAs(ending));
        }
        Status status = r.batch().status();
        if (status == Status.FINALIZING || status == Status.CANCELLING) {
            finish(r);
        }
    }

    /** Checks every line of the input before any is scored, as OpenAI does: the batch fails with the reasons. */
    private void validate(Running r) throws IOException {
        Batch batch = r.batch();
        List<Batch.LineError> errors = new ArrayList<>();
        Set<UUID> customIds = new HashSet<>();
        int total = 0;
        try (LineReader lines = files.lines(batch.inputFileId())) {
            for (String text = lines.next(); text != null; text = lines.next()) {
                if (r.stopped.get() != null) {
                    break;
                }
                if (text.isBlank()) {
                    continue;
                }
                total++;
                int number = (int) lines.number();
                RequestLine line = RequestLine.parse(text);
                Batch.LineError error = check(line, number, batch.endpoint(), customIds);
                if (error != null && errors.size() < MAX_ERRORS) {
                    errors.add(error);
                }
            }
        }
        if (r.stopped.get() != null) {
            // A shutdown validates again at the next start; a cancel has moved the batch to cancelling.
            return;
        }
        int requests = total;
        Batch.Counts counts = new Batch.Counts(requests, 0, 0);
        commit(r, b -> b.status() == Status.CANCELLING ? b
                : errors.isEmpty() ? b.counted(counts).moved(Status.IN_PROGRESS, now())
                : b.withErrors(errors).counted(counts).moved(Status.FAILED, now()));
    }

    /** @param customIds a 128-bit digest of each custom_id seen: ids may be long, and a file has up to 50,000 */
    private Batch.LineError check(RequestLine line, int number, String endpoint, Set<UUID> customIds) {
        if (line == null) {
            return new Batch.LineError("invalid_json_line", number, "The line is not a JSON object.", null);
        }
        if (line.customId() == null || line.customId().isBlank()) {
            return new Batch.LineError("missing_required_parameter", number, "custom_id must be a non-empty string.",
                    "custom_id");
        }
        if (!customIds.add(UUID.nameUUIDFromBytes(line.customId().getBytes(StandardCharsets.UTF_8)))) {
            return new Batch.LineError("duplicate_custom_id", number,
                    "The custom_id '" + Ids.shown(line.customId()) + "' is used by an earlier line.", "custom_id");
        }
        if (!"POST".equals(line.method())) {
            return new Batch.LineError("invalid_method", number, "method must be 'POST'.", "method");
        }
        if (line.url() == null || !handler.endpoints().contains(line.url())) {
            return new Batch.LineError("invalid_url", number,
                    "url must be one of " + String.join(", ", handler.endpoints()) + ".", "url");
        }
        if (!line.url().equals(endpoint)) {
            return new Batch.LineError("mismatched_endpoint", number,
                    "url must be the batch's endpoint, " + endpoint + ".", "url");
        }
        if (line.body() == null || !line.body().isObject()) {
            return new Batch.LineError("invalid_body", number, "body must be a JSON object.", "body");
        }
        return null;
    }

    /** Answers every line not answered yet; why it stopped early, or {@code null} when every line was answered. */
    private Stop execute(Running r) throws IOException {
        Batch batch = r.batch();
        Semaphore slots = new Semaphore(config.lineConcurrency());
        try (Journal journal = Journal.open(store.journal(batch.id()));
                LineReader lines = files.lines(batch.inputFileId())) {
            r.update(b -> b.counted(new Batch.Counts(b.requestCounts().total(), journal.completed(), journal.failed())));
            read:
            for (String text = lines.next(); text != null; text = lines.next()) {
                int number = (int) lines.number();
                if (text.isBlank() || journal.done(number)) {
                    continue;
                }
                while (!slots.tryAcquire(200, TimeUnit.MILLISECONDS)) {
                    if (stopReason(r) != null) {
                        break read;
                    }
                }
                if (stopReason(r) != null) {
                    slots.release();
                    break;
                }
                RequestLine line = RequestLine.parse(text);
                r.inFlight.incrementAndGet();
                // This thread only hands lines on: the scoring path starts on the pool, so that the lines'
                // own work runs on every core. Recording the answer writes to the journal: off the event loop.
                handler.handle(line, batch.owner())
                        .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                        .emitOn(Infrastructure.getDefaultWorkerPool())
                        .subscribe().with(
                        outcome -> answered(r, journal, number, line, outcome, slots),
                        failure -> {
                            Log.errorf(failure, "Batch %s, line %d failed unexpectedly", batch.id(), number);
                            answered(r, journal, number, line,
                                    new LineOutcome(500, null, "internal_error", "The line failed unexpectedly."),
                                    slots);
                        });
            }
            Stop stop = r.stopped.get();
            boolean drained = stop == Stop.SHUTDOWN
                    ? slots.tryAcquire(config.lineConcurrency(), config.drainTimeout().toMillis(), TimeUnit.MILLISECONDS)
                    : acquireAll(slots);
            if (!drained) {
                Log.warnf("Batch %s: %d lines still in flight at the shutdown are scored again at the next start",
                        batch.id(), r.inFlight.get());
            }
            journal.sync();
            return stop;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Stop.SHUTDOWN;
        }
    }

    private boolean acquireAll(Semaphore slots) throws InterruptedException {
        slots.acquire(config.lineConcurrency());
        return true;
    }

    private Stop stopReason(Running r) {
        if (r.stopped.get() == null && now() >= r.batch().expiresAt()) {
            r.stop(Stop.EXPIRE);
        }
        return r.stopped.get();
    }

    private void answered(Running r, Journal journal, int number, RequestLine line, LineOutcome outcome,
            Semaphore slots) {
        try {
            journal.append(outcome.ok(), number, output(line.customId(), outcome));
            metrics.line(outcome.ok());
            r.update(b -> b.counted(new Batch.Counts(b.requestCounts().total(), journal.completed(), journal.failed())));
        } catch (IOException e) {
            Log.errorf("Batch %s, line %d: its answer could not be recorded (%s); it is scored again at the next start",
                    r.batch().id(), number, e.toString());
        } finally {
            r.inFlight.decrementAndGet();
            slots.release();
        }
    }

    /** Writes the output and error files from the journal and ends the batch in the status it was ending in. */
    private void finish(Running r) throws IOException {
        Batch batch = r.batch();
        Path journal = store.journal(batch.id());
        BitSet answered = new BitSet();
        Journal.replay(journal, entry -> answered.set(entry.line()));
        StoredFile output = files.write(Ids.file(batch.id(), "output"), batch.id() + "_output.jsonl",
                StoredFile.BATCH_OUTPUT, batch.owner(),
                sink -> Journal.replay(journal, entry -> {
                    if (entry.ok()) {
                        sink.accept(entry.output());
                    }
                }));
        StoredFile errors = files.write(Ids.file(batch.id(), "error"), batch.id() + "_error.jsonl",
                StoredFile.BATCH_OUTPUT, batch.owner(), sink -> {
            Journal.replay(journal, entry -> {
                if (!entry.ok()) {
                    sink.accept(entry.output());
                }
            });
            // A batch cancelled while it was validating never took its lines on: it has none to list.
            if (batch.ending() != Status.COMPLETED && batch.requestCounts().total() > 0) {
                unanswered(batch, answered, sink);
            }
        });
        String outputId = keepIfAny(output, batch.owner());
        String errorId = keepIfAny(errors, batch.owner());
        commit(r, b -> b.withFiles(outputId, errorId).moved(b.ending(), now()));
        store.dropJournal(batch.id());
    }

    /** An error line for each request an expired or cancelled batch never answered. */
    private void unanswered(Batch batch, BitSet answered, FileStore.LineSink sink) throws IOException {
        boolean expired = batch.ending() == Status.EXPIRED;
        String code = expired ? "batch_expired" : "batch_cancelled";
        String message = expired
                ? "This request could not be executed before the completion window expired."
                : "This request was not executed: the batch was cancelled.";
        try (LineReader lines = files.lines(batch.inputFileId())) {
            for (String text = lines.next(); text != null; text = lines.next()) {
                if (!text.isBlank() && !answered.get((int) lines.number())) {
                    RequestLine line = RequestLine.parse(text);
                    ObjectNode result = Json.MAPPER.createObjectNode();
                    result.put("id", Ids.result());
                    result.put("custom_id", line == null ? null : line.customId());
                    result.putNull("response");
                    result.putObject("error").put("code", code).put("message", message);
                    sink.accept(Json.MAPPER.writeValueAsString(result));
                }
            }
        }
    }

    private String keepIfAny(StoredFile file, String owner) {
        if (file.lines() > 0) {
            return file.id();
        }
        files.delete(file.id(), owner);
        return null;
    }

    /** A line of the output or error file: OpenAI's batch request output. */
    private static String output(String customId, LineOutcome outcome) throws IOException {
        ObjectNode result = Json.MAPPER.createObjectNode();
        result.put("id", Ids.result());
        result.put("custom_id", customId);
        if (outcome.body() == null) {
            // No HTTP answer to give: OpenAI then puts the cause in error, and response is null.
            result.putNull("response");
            result.putObject("error").put("code", outcome.code()).put("message", outcome.message());
        } else {
            // An answer, even a 400, is the response; as OpenAI's, error is only for failures without one.
            ObjectNode response = result.putObject("response");
            response.put("status_code", outcome.status());
            response.put("request_id", Ids.request());
            response.putRawValue("body", new RawValue(outcome.body()));
            result.putNull("error");
        }
        return Json.MAPPER.writeValueAsString(result);
    }

    private void sweep() {
        try {
            files.sweep(unfinishedByInput().keySet());
        } catch (RuntimeException e) {
            Log.warnf("Files past their retention could not be deleted: %s", e.toString());
        }
    }

    /** The batches that have not ended, by the id of the file they read. */
    private Map<String, Batch> unfinishedByInput() {
        Map<String, Batch> reading = new HashMap<>();
        for (Batch batch : store.all()) {
            if (!batch.status().finished()) {
                reading.put(batch.inputFileId(), batch);
            }
        }
        return reading;
    }

    /** Changes a running batch and stores it under its lock, so that changes are stored in the order made. */
    private Batch commit(Running r, UnaryOperator<Batch> change) {
        synchronized (r) {
            Batch batch = r.update(change);
            save(batch);
            return batch;
        }
    }

    private void save(Batch batch) {
        store.save(batch);
        Status before = statuses.put(batch.id(), batch.status());
        if (before != batch.status()) {
            Log.infof("Batch %s is %s (%d requests, %d answered, %d failed)", batch.id(), batch.status().wire(),
                    batch.requestCounts().total(), batch.requestCounts().completed(), batch.requestCounts().failed());
        }
    }

    private void checkMetadata(Map<String, String> metadata) {
        if (metadata == null) {
            return;
        }
        if (metadata.size() > MAX_METADATA) {
            throw new JobsException(JobsException.Kind.INVALID, "metadata holds at most 16 pairs.", "metadata");
        }
        for (Map.Entry<String, String> pair : metadata.entrySet()) {
            if (pair.getKey().length() > 64 || pair.getValue() == null || pair.getValue().length() > 512) {
                throw new JobsException(JobsException.Kind.INVALID,
                        "metadata keys are at most 64 characters and values strings of at most 512.", "metadata");
            }
        }
    }

    private int count(Status status) {
        int n = 0;
        for (Status s : statuses.values()) {
            if (s == status) {
                n++;
            }
        }
        return n;
    }

    private int linesWaiting() {
        int waiting = 0;
        for (Running r : running.values()) {
            Batch batch = r.batch();
            if (batch.status() == Status.IN_PROGRESS) {
                waiting += batch.requestCounts().total() - answered(batch);
            }
        }
        return waiting;
    }

    private static int answered(Batch batch) {
        return batch.requestCounts().completed() + batch.requestCounts().failed();
    }

    private long now() {
        return clock.instant().getEpochSecond();
    }

    /** A batch this process is running: its current state, and whether it was asked to stop. */
    private static final class Running {
        final AtomicReference<Stop> stopped = new AtomicReference<>();
        final AtomicInteger inFlight = new AtomicInteger();
        final CountDownLatch ended = new CountDownLatch(1);
        private Batch batch;

        Running(Batch batch) {
            this.batch = batch;
        }

        synchronized Batch batch() {
            return batch;
        }

        synchronized Batch update(UnaryOperator<Batch> change) {
            batch = change.apply(batch);
            return batch;
        }

        void stop(Stop reason) {
            stopped.compareAndSet(null, reason);
        }
    }
}
