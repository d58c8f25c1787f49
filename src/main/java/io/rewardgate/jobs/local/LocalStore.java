package io.rewardgate.jobs.local;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.quarkus.logging.Log;
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
import io.rewardgate.jobs.Journal;
import io.rewardgate.jobs.LineHandler;
import io.rewardgate.jobs.LineScheduler;
import io.rewardgate.jobs.Outputs;
import io.rewardgate.jobs.local.LocalBatch.Stop;

/**
 * The {@code local} store ({@code rewardgate.jobs.store}): batches on this process's volume, each run by this
 * process from its input file to its output. A batch is validated, its lines handed to the
 * {@link LineScheduler}, each answer recorded in its {@link Journal} as it comes, and at the end its output and
 * error files are written. A batch outlives the process: at start, every batch that had not ended goes on where
 * its journal says it stopped, so that no request answered before a kill is sent again. Validation and
 * finalization run on threads of their own, never behind lines. A batch's steps (launch, validation, the lines,
 * the end) stay together here, a little over 300 lines, as they share the map of running batches and its lock.
 */
@ApplicationScoped
public class LocalStore implements JobStore {

    private final JobsConfig config;
    private final FileStore files;
    private final BatchFiles store;
    private final LineHandler handler;
    private final JobsMetrics metrics;
    private final Clock clock;
    private final ExecutorService control = JobThreads.control();
    private final Map<String, LocalBatch> running = new ConcurrentHashMap<>();
    private final Object creating = new Object();
    private LineScheduler scheduler;
    private BatchStatuses statuses;
    private volatile boolean stopping;

    @Inject
    public LocalStore(JobsConfig config, FileStore files, BatchFiles store, LineHandler handler, JobsMetrics metrics,
            Clock clock) {
        this.config = config;
        this.files = files;
        this.store = store;
        this.handler = handler;
        this.metrics = metrics;
        this.clock = clock;
    }

    @Override
    public JobsConfig.Store kind() {
        return JobsConfig.Store.LOCAL;
    }

    @Override
    public void start(LineScheduler lines, BatchStatuses statuses) {
        this.scheduler = lines;
        this.statuses = statuses;
        List<Batch> batches;
        try {
            batches = store.all();
        } catch (JobsException unreadable) {
            Log.errorf("Batches cannot be read from %s; none is resumed", config.directory());
            return;
        }
        for (Batch batch : batches) {
            statuses.remember(batch);
            if (!batch.status().finished()) {
                Log.infof("Batch %s resumes, %s", batch.id(), batch.status().wire());
                launch(store.find(batch.id()).orElse(batch));
            }
        }
    }

    @Override
    public void stopping() {
        stopping = true;
    }

    @Override
    public String undrained() {
        return "are scored again at the next start";
    }

    @Override
    public void stop() {
        running.values().forEach(LocalBatch::close);
        control.shutdownNow();
    }

    @Override
    public Batch create(Batch batch) {
        // Checked and stored in one step, as a delete of the input file is: neither can slip between the other's.
        synchronized (creating) {
            if (files.find(batch.inputFileId(), batch.owner()).isEmpty()) {
                throw BatchRules.noSuchInput(batch.inputFileId());
            }
            long active = running.values().stream().map(LocalBatch::batch)
                    .filter(b -> Objects.equals(b.owner(), batch.owner()) && BatchRules.active(b.status())).count();
            BatchRules.requireRoomForAnother(active, config.maxActiveBatches());
            save(batch);
            launch(batch);
            return batch;
        }
    }

    @Override
    public Batch find(String id) {
        LocalBatch r = running.get(id);
        Batch batch = store.find(id).orElse(null);
        return r != null && batch != null ? r.batch().withErrors(batch.errors()) : batch;
    }

    @Override
    public Batches.Page page(String owner, String after, int limit) {
        List<Batch> mine = new ArrayList<>();
        for (Batch kept : store.all()) {
            LocalBatch r = running.get(kept.id());
            Batch batch = r != null ? r.batch().withErrors(null) : kept;
            if (Objects.equals(batch.owner(), owner)) {
                mine.add(batch);
            }
        }
        mine.sort(Comparator.comparingLong(Batch::createdMillis).thenComparing(Batch::id).reversed());
        Batches.Page page = Batches.Page.of(mine, after, limit);
        return new Batches.Page(page.batches().stream().map(b -> store.find(b.id())
                .map(full -> b.withErrors(full.errors())).orElse(b)).toList(), page.hasMore());
    }

    @Override
    public Batch cancel(Batch batch) {
        LocalBatch r = running.get(batch.id());
        if (r == null) {
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
        scheduler.stop(batch.id());
        return cancelling;
    }

    @Override
    public boolean deleteFile(String id, String owner) {
        synchronized (creating) {
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

    @Override
    public Set<String> sweep(long now) {
        Set<String> inUse = new HashSet<>();
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
        long kept = config.fileRetention().toSeconds();
        for (Batch batch : store.all()) {
            Long ended = BatchRules.endedAt(batch);
            if (batch.status().finished() && ended != null && now >= ended + kept && !running.containsKey(batch.id())) {
                store.delete(batch.id());
                statuses.forget(batch.id());
            }
        }
        return inUse;
    }

    private void launch(Batch batch) {
        LocalBatch r = new LocalBatch(batch, store.journal(batch.id()), files, metrics, config.recordTimeout(),
                this::save, statuses::remember, this::drained);
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

    private Batch save(Batch batch) {
        store.save(batch);
        statuses.remember(batch);
        return batch;
    }

    private long now() {
        return clock.instant().getEpochSecond();
    }
}
