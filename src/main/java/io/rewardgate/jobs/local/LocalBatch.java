package io.rewardgate.jobs.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

import io.quarkus.logging.Log;
import io.rewardgate.jobs.Batch;
import io.rewardgate.jobs.FileStore;
import io.rewardgate.jobs.JobsMetrics;
import io.rewardgate.jobs.Journal;
import io.rewardgate.jobs.LineHandler.LineOutcome;
import io.rewardgate.jobs.LineReader;
import io.rewardgate.jobs.LineScheduler;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * A batch of the {@code local} store while this process runs it: its state, and its lines as the
 * {@link LineScheduler} takes them, read in order from its input file, skipping what its {@link Journal} has
 * answered. An answer is recorded in the journal before the line counts as answered; a write that fails (a
 * full or failing volume) is tried again with backoff, the line keeping its slot, so that the batch pauses
 * rather than loses it, for up to {@code rewardgate.jobs.record-timeout}; after that the batch stops and ends
 * {@code failed}, its unanswered lines listed.
 */
final class LocalBatch implements LineScheduler.Source {

    /** Why a running batch stops before its last line. */
    enum Stop { CANCEL, EXPIRE, UNRECORDED }

    private final FileStore files;
    private final JobsMetrics metrics;
    private final Duration recordTimeout;
    private final Consumer<LocalBatch> onDrained;
    private final UnaryOperator<Batch> saver;
    private final Consumer<Batch> onProgress;
    private final Path journalPath;
    private Batch batch;
    private Journal journal;
    private LineReader reader;
    private volatile Stop stopped;
    private volatile boolean concluding;

    /**
     * @param saver stores a changed state durably and gives it back
     * @param onProgress told of the counts after each answer recorded
     * @param onDrained told when no line of the batch runs any more and none will start
     */
    LocalBatch(Batch batch, Path journalPath, FileStore files, JobsMetrics metrics, Duration recordTimeout,
            UnaryOperator<Batch> saver, Consumer<Batch> onProgress, Consumer<LocalBatch> onDrained) {
        this.batch = batch;
        this.journalPath = journalPath;
        this.files = files;
        this.metrics = metrics;
        this.recordTimeout = recordTimeout;
        this.saver = saver;
        this.onProgress = onProgress;
        this.onDrained = onDrained;
    }

    synchronized Batch batch() {
        return batch;
    }

    /** Changes the state and stores it, in the order the changes are made. */
    synchronized Batch commit(UnaryOperator<Batch> change) {
        batch = saver.apply(change.apply(batch));
        return batch;
    }

    /** Asks the batch to stop; the first reason stands. */
    void stop(Stop reason) {
        synchronized (this) {
            if (stopped == null) {
                stopped = reason;
            }
        }
    }

    Stop stopped() {
        return stopped;
    }

    /** None of its lines runs any more, and none will: it is to be finalized, now or at a later sweep. */
    void concluding() {
        concluding = true;
    }

    boolean isConcluding() {
        return concluding;
    }

    /** Opens the journal and the input for the lines to run; the counts are the journal's. */
    synchronized void open() throws IOException {
        journal = Journal.open(journalPath);
        reader = files.lines(batch.inputFileId());
        batch = batch.counted(new Batch.Counts(batch.requestCounts().total(), journal.completed(), journal.failed()));
    }

    /** Forces what the journal holds to the disk and closes it and the input. */
    synchronized void close() {
        try {
            if (journal != null) {
                journal.sync();
                journal.close();
            }
            if (reader != null) {
                reader.close();
            }
        } catch (IOException e) {
            Log.warnf("Batch %s: its journal could not be closed cleanly: %s", batch.id(), e.toString());
        }
        journal = null;
        reader = null;
    }

    @Override
    public String batchId() {
        return batch.id();
    }

    @Override
    public String owner() {
        return batch.owner();
    }

    @Override
    public synchronized List<LineScheduler.Line> take(int max) throws IOException {
        if (stopped != null || reader == null) {
            return null;
        }
        List<LineScheduler.Line> lines = new ArrayList<>(max);
        while (lines.size() < max) {
            String text = reader.next();
            if (text == null) {
                return lines.isEmpty() ? null : lines;
            }
            int number = (int) reader.number();
            if (!text.isBlank() && !journal.done(number)) {
                lines.add(new LineScheduler.Line(number, text, null));
            }
        }
        return lines;
    }

    @Override
    public Uni<Void> record(LineScheduler.Line line, LineOutcome outcome) {
        String output = line.output(outcome);
        return Uni.createFrom().item(() -> {
                    append(line, outcome, output);
                    return (Void) null;
                })
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .onFailure(UncheckedIOException.class).invoke(e -> Log.warnf("Batch %s, line %d: its answer cannot"
                        + " be recorded now (%s); tried again", batch.id(), line.number, e.getCause().toString()))
                .onFailure(UncheckedIOException.class).retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(10))
                .expireIn(recordTimeout.toMillis())
                .onFailure().invoke(e -> {
                    Log.errorf("Batch %s, line %d: its answer could not be recorded within %s; the batch stops and"
                            + " fails", batch.id(), line.number, recordTimeout);
                    stop(Stop.UNRECORDED);
                });
    }

    private void append(LineScheduler.Line line, LineOutcome outcome, String output) {
        Journal open;
        synchronized (this) {
            open = journal;
        }
        if (open == null) {
            throw new IllegalStateException("batch " + batch.id() + " is closed");
        }
        try {
            open.append(outcome.ok(), (int) line.number, output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        metrics.line(outcome.ok());
        Batch counted;
        synchronized (this) {
            batch = batch.counted(new Batch.Counts(batch.requestCounts().total(), open.completed(), open.failed()));
            counted = batch;
        }
        onProgress.accept(counted);
    }

    @Override
    public void abandon(LineScheduler.Line line) {
        // Not recorded: answered again at the next start, or listed as unanswered at the batch's end.
    }

    @Override
    public void drained() {
        onDrained.accept(this);
    }
}
