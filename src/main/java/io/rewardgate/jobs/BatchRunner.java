package io.rewardgate.jobs;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Typed;
import jakarta.inject.Inject;

import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.rewardgate.jobs.Batch.Status;
import io.rewardgate.jobs.LocalBatch.Stop;
import io.vertx.core.Vertx;

/**
 * The {@code local} store ({@code rewardgate.jobs.store}): batches on this process's volume, each run by this
 * process from its input file to its output. A batch is validated, its lines handed to the
 * {@link LineScheduler} (fair between keys, shared by all batches), each answer recorded in its {@link Journal}
 * as it comes, and at the end its output and error files are written. A batch outlives the process: at start,
 * every batch that had not ended goes on where its journal says it stopped, so that no request answered before
 * a kill is sent again. Validation and finalization run on threads of their own, never behind lines.
 */
@ApplicationScoped
@Typed(BatchRunner.class)
public class BatchRunner implements Batches {

    private final JobsConfig config;
    private final FileStore files;
    private final BatchStore store;
    private final LineHandler handler;
    private final JobsMetrics metrics;
    private final Vertx vertx;
    private final Clock clock;
    private final ExecutorService control = JobThreads.control();
    private final Map<String, LocalBatch> running = new ConcurrentHashMap<>();
    private final Map<String, Status> statuses = new ConcurrentHashMap<>();
    private final Object creating = new Object();
    private LineScheduler scheduler;
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
        scheduler = new LineScheduler(config.lineConcurrency(), handler);
        scheduler.start();
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
                launch(store.find(batch.id()).orElse(batch));
            }
        }
        sweeper = vertx.setPeriodic(config.sweepInterval().toMillis(), id -> control.execute(this::sweep));
    }

    void stop(@Observes ShutdownEvent event) {
        if (scheduler == null) {
            return;
        }
        stopping = true;
        if (sweeper >= 0) {
            vertx.cancelTimer(sweeper);
        }
        if (!scheduler.shutdown(config.drainTimeout())) {
            Log.warnf("%d batch lines still in flight at the shutdown are scored again at the next start",
                    scheduler.running());
        }
        running.values().forEach(LocalBatch::close);
        control.shutdownNow();
    }

    @Override
    public Batch create(String inputFileId, String endpoint, String completionWindow, Map<String, String> metadata,
            String owner) {
        if (stopping) {
            throw new JobsException(JobsException.Kind.UNAVAILABLE, "The service is shutting down; try again later.");
        }
        files.requireFreeSpace();
        // Checked and stored in one step, as a delete of the input file is: neither can slip between the other's.
        synchronized (creating) {
            Batch batch = BatchRules.created(files, handler.endpoints(), inputFileId, endpoint, completionWindow,
                    metadata, owner, clock.millis());
            long active = running.values().stream().map(LocalBatch::batch)
                    .filter(b -> Objects.equals(b.owner(), owner) && BatchRules.active(b.status())).count();
            BatchRules.requireRoomForAnother(active, config.maxActiveBatches());
            save(batch);
            launch(batch);
            return batch;
        }
    }

    @Override
    public Batch get(String id, String owner) {
        LocalBatch r = running.get(id);
        Batch batch = store.find(id).orElse(null);
        if (r != null && batch != null) {
            batch = r.batch().withErrors(batch.errors());
        }
        if (batch == null || !Objects.equals(batch.owner(), owner)) {
            throw JobsException.notFound("batch", id);
        }
        return batch;
    }

    @Override
    public Page list(String owner, String after, int limit) {
        List<Batch> mine = new ArrayList<>();
        for (Batch kept : store.all()) {
            LocalBatch r = running.get(kept.id());
            Batch batch = r != null ? r.batch().withErrors(null) : kept;
            if (Objects.equals(batch.owner(), owner)) {
                mine.add(batch);
            }
        }
        mine.sort(Comparator.comparingLong(Batch::createdMillis).thenComparing(Batch::id).reversed());
        Page page = Page.of(mine, after, limit);
        return new Page(page.batches().stream().map(b -> store.find(b.id()).map(full -> b.withErrors(full.errors()))
                .orElse(b)).toList(), page.hasMore());
    }

    @Override
    public Batch cancel(String id, String owner) {
        get(id, owner);
        LocalBatch r = running.get(id);
        if (r == null) {
            Batch batch = store.find(id).orElseThrow(() -> JobsException.notFound("batch", id));
            BatchRules.refuseUnlessCancellable(batch);
            return batch;
        }
        Batch cancelling;
        synchronized (r) {
            if (r.batch().status() == Status.CANCELLING) {
                return r.batch();
            }
            BatchRules.refuseUnlessCancellable(r.batch());
            cancelling = r.commit(b -> b.moved(Status.CANCELLING, now()).endingAs(Status.CANCELLED));
        }
        r.stop(Stop.CANCEL);
        // Lines waiting for a permit or the budget are dropped; the batch ends once the rest are kept.
        scheduler.stop(id);
        return cancelling;
    }

    @Override
    public boolean deleteFile(String id, String owner) {
        synchronized (creating) {
            // Another key learns nothing of the file, not even that a batch reads it.
            if (files.find(id, owner).isEmpty()) {
                return false;
            }
            for (LocalBatch r : running.values()) {
                Batch reading = r.batch();
                if (id.equals(reading.inputFileId()) && !reading.status().finished()) {
                    throw BatchRules.inputInUse(reading);
                }
            }
            return files.delete(id, owner);
        }
    }

    @Override
    public int renameOwner(String from, String to) {
        int moved = 0;
        for (Batch batch : store.all()) {
            if (from.equals(batch.owner())) {
                LocalBatch r = running.get(batch.id());
                if (r != null) {
                    r.commit(b -> b.ownedBy(to));
                } else {
                    store.find(batch.id()).ifPresent(full -> store.save(full.ownedBy(to)));
                }
                moved++;
            }
        }
        return moved;
    }

    private void launch(Batch batch) {
        LocalBatch r = new LocalBatch(batch, store.journal(batch.id()), files, metrics, config.recordTimeout(),
                this::save, this::drained);
        running.put(batch.id(), r);
        control.execute(() -> {
            try {
                advance(r);
            } catch (RuntimeException | IOException e) {
                Log.errorf(e, "Batch %s stopped on a failure; it resumes at the next start", batch.id());
                r.close();
                running.remove(batch.id());
            }
        });
    }

    /** Takes a batch as far as it can go now: validated, its lines handed out, or finished. */
    private void advance(LocalBatch r) throws IOException {
        if (r.batch().status() == Status.VALIDATING) {
            validate(r);
        }
        if (r.batch().status() == Status.IN_PROGRESS && r.stopped() == null) {
            r.open();
            scheduler.add(r);
            if (r.stopped() != null) {
                // Cancelled or expired while it was being added: the stop found nothing to stop then.
                scheduler.stop(r.batchId());
            }
            return;
        }
        Status status = r.batch().status();
        if (status == Status.FINALIZING || status == Status.CANCELLING) {
            r.concluding();
            conclude(r);
        } else if (status.finished()) {
            running.remove(r.batchId());
        }
    }

    /** Checks every line of the input before any is scored, as OpenAI does: the batch fails with the reasons. */
    private void validate(LocalBatch r) throws IOException {
        BatchRules.Validation found = BatchRules.validate(files, r.batch(), handler.endpoints(),
                () -> r.stopped() != null);
        if (found == null) {
            // A shutdown validates again at the next start; a cancel has moved the batch to cancelling.
            return;
        }
        Batch.Counts counts = new Batch.Counts(found.total(), 0, 0);
        r.commit(b -> b.status() == Status.CANCELLING ? b
                : found.errors().isEmpty() ? b.counted(counts).moved(Status.IN_PROGRESS, now())
                : b.withErrors(found.errors()).counted(counts).moved(Status.FAILED, now()));
    }

    /** No line of the batch runs any more: it ends, unless the process is stopping. */
    private void drained(LocalBatch r) {
        r.concluding();
        if (!stopping) {
            control.execute(() -> conclude(r));
        }
    }

    /**
     * Ends a batch none of whose lines runs: finalizing, then its files written. A volume that fails (full) leaves
     * it as it was, to be tried again at the next sweep.
     */
    private void conclude(LocalBatch r) {
        try {
            if (r.batch().status() == Status.IN_PROGRESS) {
                Stop stop = r.stopped();
                Status ending = stop == Stop.EXPIRE ? Status.EXPIRED : stop == Stop.UNRECORDED ? Status.FAILED
                        : Status.COMPLETED;
                // A cancel that came meanwhile stands, whatever stopped the lines.
                r.commit(b -> b.status() == Status.IN_PROGRESS ? b.moved(Status.FINALIZING, now()).endingAs(ending)
                        : b);
            }
            finish(r);
        } catch (RuntimeException | IOException e) {
            Log.errorf("Batch %s could not be finalized (%s); it is tried again at the next sweep", r.batchId(),
                    e.toString());
        }
    }

    /**
     * Writes the output and error files from the journal and ends the batch as it was ending: a line that was not
     * answered is an error line (and, for a batch that failed, listed in its errors). The journal goes only once
     * both files are durably written.
     */
    private void finish(LocalBatch r) throws IOException {
        r.close();
        Batch batch = r.batch();
        Path journal = store.journal(batch.id());
        BitSet answered = new BitSet();
        Journal.replay(journal, entry -> answered.set(entry.line()));
        Status ending = batch.ending();
        List<Batch.LineError> unrecorded = new ArrayList<>();
        Outputs.Written written = Outputs.write(files, batch,
                sink -> Journal.replay(journal, entry -> sink.accept(entry.ok(), entry.output())),
                line -> answered.get((int) line), unrecorded);
        r.commit(b -> (ending == Status.FAILED && !unrecorded.isEmpty() ? b.withErrors(unrecorded) : b)
                .withFiles(written.outputId(), written.errorId()).moved(ending, now()));
        store.dropJournal(batch.id());
        running.remove(batch.id());
    }

    private void sweep() {
        try {
            List<String> inUse = new ArrayList<>();
            long now = now();
            for (LocalBatch r : running.values()) {
                Batch batch = r.batch();
                inUse.add(batch.inputFileId());
                if (batch.status() == Status.IN_PROGRESS && now >= batch.expiresAt() && r.stopped() == null) {
                    r.stop(Stop.EXPIRE);
                    scheduler.stop(batch.id());
                } else if (r.isConcluding() && !scheduler.has(batch.id())) {
                    conclude(r);
                }
            }
            files.sweep(java.util.Set.copyOf(inUse));
            long kept = config.fileRetention().toSeconds();
            for (Batch batch : store.all()) {
                Long ended = BatchRules.endedAt(batch);
                if (batch.status().finished() && ended != null && now >= ended + kept && !running.containsKey(batch.id())) {
                    store.delete(batch.id());
                    statuses.remove(batch.id());
                }
            }
        } catch (RuntimeException e) {
            Log.warnf("Batches past their window and files past their retention could not be looked for: %s",
                    e.toString());
        }
    }

    private Batch save(Batch batch) {
        store.save(batch);
        Status before = statuses.put(batch.id(), batch.status());
        if (before != batch.status()) {
            Log.infof("Batch %s is %s (%d requests, %d answered, %d failed)", batch.id(), batch.status().wire(),
                    batch.requestCounts().total(), batch.requestCounts().completed(), batch.requestCounts().failed());
        }
        return batch;
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
        for (LocalBatch r : running.values()) {
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
}
