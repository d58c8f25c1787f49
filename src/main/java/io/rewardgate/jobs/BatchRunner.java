package io.rewardgate.jobs;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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
import jakarta.enterprise.inject.Typed;
import jakarta.inject.Inject;

import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.rewardgate.jobs.Batch.Status;
import io.rewardgate.jobs.LineHandler.LineOutcome;
import io.rewardgate.observability.JobsMetrics;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Vertx;

/**
 * The {@code local} store ({@code rewardgate.jobs.store}): batches on this process's disk, each run by this
 * process from its input file to its output: validates the file, answers each line through the
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
@Typed(BatchRunner.class)
public class BatchRunner implements Batches {

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
        if (config.store() != JobsConfig.Store.LOCAL) {
            return;
        }
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

    @Override
    public Batch create(String inputFileId, String endpoint, String completionWindow, Map<String, String> metadata,
            String owner) {
        Batch batch = BatchRules.created(files, handler.endpoints(), inputFileId, endpoint, completionWindow,
                metadata, owner, clock.millis());
        if (stopping) {
            throw new JobsException(JobsException.Kind.UNAVAILABLE, "The service is shutting down; try again later.");
        }
        save(batch);
        launch(batch);
        return batch;
    }

    @Override
    public Batch get(String id, String owner) {
        Running r = running.get(id);
        Batch batch = r != null ? r.batch() : store.find(id).orElse(null);
        if (batch == null || !Objects.equals(batch.owner(), owner)) {
            throw JobsException.notFound("batch", id);
        }
        return batch;
    }

    @Override
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

    @Override
    public Batch cancel(String id, String owner) {
        get(id, owner);
        Running r = running.get(id);
        if (r != null) {
            // Checked and changed in one step: the batch's own thread may be moving it to finalizing meanwhile.
            synchronized (r) {
                if (r.batch().status() == Status.CANCELLING) {
                    return r.batch();
                }
                BatchRules.refuseUnlessCancellable(r.batch());
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
            BatchRules.refuseUnlessCancellable(batch);
            Batch cancelling = batch.moved(Status.CANCELLING, now()).endingAs(Status.CANCELLED);
            save(cancelling);
            launch(cancelling);
            return cancelling;
        }
    }

    @Override
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
                        r.batch().id(), r.batch().requestCounts().answered(), r.batch().requestCounts().total());
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
        BatchRules.Validation found = BatchRules.validate(files, r.batch(), handler.endpoints(),
                () -> r.stopped.get() != null);
        if (found == null) {
            // A shutdown validates again at the next start; a cancel has moved the batch to cancelling.
            return;
        }
        Batch.Counts counts = new Batch.Counts(found.total(), 0, 0);
        commit(r, b -> b.status() == Status.CANCELLING ? b
                : found.errors().isEmpty() ? b.counted(counts).moved(Status.IN_PROGRESS, now())
                : b.withErrors(found.errors()).counted(counts).moved(Status.FAILED, now()));
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
            journal.append(outcome.ok(), number, BatchRules.output(line.customId(), outcome));
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
        String outputId = files.keptIfAny(output);
        String errorId = files.keptIfAny(errors);
        commit(r, b -> b.withFiles(outputId, errorId).moved(b.ending(), now()));
        store.dropJournal(batch.id());
    }

    /** An error line for each request an expired or cancelled batch never answered. */
    private void unanswered(Batch batch, BitSet answered, FileStore.LineSink sink) throws IOException {
        try (LineReader lines = files.lines(batch.inputFileId())) {
            for (String text = lines.next(); text != null; text = lines.next()) {
                if (!text.isBlank() && !answered.get((int) lines.number())) {
                    sink.accept(BatchRules.unanswered(text, batch.ending()));
                }
            }
        }
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
                waiting += batch.requestCounts().total() - batch.requestCounts().answered();
            }
        }
        return waiting;
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
