package io.rewardgate.jobs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import io.quarkus.logging.Log;
import io.rewardgate.jobs.LineHandler.LineOutcome;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * Runs the lines of every running batch of this replica, whichever store keeps them: at most
 * {@code rewardgate.jobs.line-concurrency} at once, each free slot given to the next client key with lines to
 * run, in turn, and within a key to its batches in turn, so that a key's 50,000-line batch does not hold back
 * another key's one line. A key's quota is taken as its line takes a slot: a line never holds a slot while it
 * waits for its key's quota, and a key whose quota is spent is passed over until it has one again.
 *
 * <p>A batch that stops (cancelled, expired, or the replica shutting down) has its lines that have not reached
 * the backend dropped: they wait for a permit or a token no longer, and are not recorded; only calls already at
 * the backend finish and are recorded. One thread hands lines out; the lines themselves run without blocking.
 *
 * <p>Longer than the house's 300 lines on purpose: the turn between keys, the quota waits, the drops and the
 * drain all read and change one set of queues under one lock, and split apart each piece would reach into the
 * others' state.
 */
public final class LineScheduler {

    /** How long a batch that had no line to give is passed over. */
    private static final long IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(250);
    /** The longest the hand-out thread sleeps when nothing may run, so that a stop is seen soon. */
    private static final long NAP_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    /** A running batch's lines, as its store gives and records them. */
    public interface Source {
        String batchId();

        /** The client key that owns the batch, or {@code null} without keys. */
        String owner();

        /**
         * Up to {@code max} lines to run next: an empty list when it has none now (more may come), {@code null}
         * when it will never have more. Called on the hand-out thread; may block briefly (a read, a call to Redis).
         */
        List<Line> take(int max) throws Exception;

        /** Records a line's answer; the item arrives once it is kept. */
        Uni<Void> record(Line line, LineOutcome outcome);

        /** A line that was taken and will not be answered here: dropped, or never handed out. */
        void abandon(Line line);

        /** Nothing of the batch is in flight on this replica any more, and nothing more will be taken. */
        void drained();
    }

    /** One line of a batch: its number in the input file, its text, and whether it is still wanted. */
    public static final class Line {
        public final long number;
        public final String text;
        /** What the store needs to know the line again (a Redis stream entry), or {@code null}. */
        public final String handle;
        volatile boolean dropped;

        public Line(long number, String text, String handle) {
            this.number = number;
            this.text = text;
            this.handle = handle;
        }

        /** The line of the output or error file that answers this line with {@code outcome}. */
        public String output(LineOutcome outcome) {
            try {
                return BatchRules.output(RequestLine.parse(text).customId(), outcome);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** A source and what this replica does with it now. */
    private static final class Batch {
        final Source source;
        final Deque<Line> taken = new ArrayDeque<>();
        final Set<Line> inFlight = ConcurrentHashMap.newKeySet();
        final AtomicInteger running = new AtomicInteger();
        long idleUntil;
        volatile boolean removed;
        boolean drainedCalled;

        Batch(Source source) {
            this.source = source;
        }
    }

    /** A key with running batches, its turn among them, and when its quota has a request again. */
    private static final class Owner {
        final List<Batch> batches = new ArrayList<>();
        int turn;
        long pausedUntil;
    }

    private final int slotCount;
    private final LineHandler handler;
    private final Semaphore slots;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Map<String, Owner> owners = new LinkedHashMap<>();
    private final Map<String, Batch> batches = new ConcurrentHashMap<>();
    private final List<String> rotation = new ArrayList<>();
    private int nextOwner;
    private volatile boolean stopping;
    private Thread thread;

    LineScheduler(int slots, LineHandler handler) {
        this.slotCount = slots;
        this.handler = handler;
        this.slots = new Semaphore(slots);
    }

    void start() {
        thread = new Thread(this::handOut, "rewardgate-batch-lines");
        thread.setDaemon(true);
        thread.start();
    }

    /** Starts giving slots to {@code source}'s lines; a batch added twice is added once. */
    public void add(Source source) {
        lock.lock();
        try {
            if (batches.containsKey(source.batchId()) || stopping) {
                return;
            }
            Batch batch = new Batch(source);
            batches.put(source.batchId(), batch);
            String key = Objects.requireNonNullElse(source.owner(), "");
            Owner owner = owners.computeIfAbsent(key, k -> {
                rotation.add(k);
                return new Owner();
            });
            owner.batches.add(batch);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Whether {@code batchId}'s lines are being handed out or run here. */
    public boolean has(String batchId) {
        return batches.containsKey(batchId);
    }

    /** The batches being handed out or run here. */
    public Set<String> batchIds() {
        return Set.copyOf(batches.keySet());
    }

    /**
     * Stops a batch here: no line of it starts after this, its lines that have not reached the backend are
     * dropped, and its source hears {@link Source#drained()} once the rest are recorded.
     */
    public void stop(String batchId) {
        Batch batch = batches.get(batchId);
        if (batch == null) {
            return;
        }
        List<Line> unstarted;
        lock.lock();
        try {
            unstarted = detach(batch);
        } finally {
            lock.unlock();
        }
        unstarted.forEach(batch.source::abandon);
        batch.inFlight.forEach(line -> line.dropped = true);
        drainedIfIdle(batch);
    }

    /** Lines running now, of every batch. */
    int running() {
        return slotCount - slots.availablePermits();
    }

    /**
     * On shutdown: stops handing lines out, drops those that have not reached the backend, and waits up to
     * {@code drain} for the others to be recorded; whether they were.
     */
    boolean shutdown(Duration drain) {
        stopping = true;
        for (String id : batchIds()) {
            stop(id);
        }
        if (thread != null) {
            thread.interrupt();
        }
        try {
            if (slots.tryAcquire(slotCount, drain.toMillis(), TimeUnit.MILLISECONDS)) {
                slots.release(slotCount);
                return true;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }

    /** Removes a batch from its key's turns; the lines it had taken and not started. Under the lock. */
    private List<Line> detach(Batch batch) {
        if (batch.removed) {
            return List.of();
        }
        batch.removed = true;
        String key = Objects.requireNonNullElse(batch.source.owner(), "");
        Owner owner = owners.get(key);
        if (owner != null) {
            owner.batches.remove(batch);
            if (owner.batches.isEmpty()) {
                owners.remove(key);
                rotation.remove(key);
            }
        }
        List<Line> unstarted = new ArrayList<>(batch.taken);
        batch.taken.clear();
        return unstarted;
    }

    private void handOut() {
        while (!stopping) {
            boolean handed = false;
            try {
                slots.acquire();
                try {
                    Line[] line = new Line[1];
                    Batch batch = next(line);
                    if (batch != null) {
                        handed = true;
                        run(batch, line[0]);
                    }
                } finally {
                    if (!handed) {
                        slots.release();
                    }
                }
            } catch (InterruptedException e) {
                if (stopping) {
                    return;
                }
            } catch (RuntimeException e) {
                Log.errorf(e, "Batch lines could not be handed out; trying again");
                nap();
            }
        }
    }

    /**
     * The next line to run, by key in turn and by batch in turn within a key; {@code null} when stopping. A line
     * whose key's quota has nothing left goes back to its batch, and the key is passed over until it has.
     */
    private Batch next(Line[] found) throws InterruptedException {
        while (!stopping) {
            Owner owner;
            String key;
            long now = System.nanoTime();
            lock.lock();
            try {
                key = eligible(now);
                if (key == null) {
                    changed.awaitNanos(napUntilSomethingMayRun(now));
                    continue;
                }
                owner = owners.get(key);
            } finally {
                lock.unlock();
            }
            Batch batch = nextBatch(owner, now);
            if (batch == null) {
                continue;
            }
            Line line = take(batch);
            if (line == null) {
                continue;
            }
            Duration wait = quota(key);
            if (wait.isZero()) {
                found[0] = line;
                return batch;
            }
            putBack(batch, line);
            lock.lock();
            try {
                owner.pausedUntil = System.nanoTime() + wait.toNanos();
            } finally {
                lock.unlock();
            }
        }
        return null;
    }

    /** A line taken that may not run yet: first of its batch's next time; abandoned if the batch stopped. */
    private void putBack(Batch batch, Line line) {
        boolean stopped;
        lock.lock();
        try {
            stopped = batch.removed;
            if (!stopped) {
                batch.taken.addFirst(line);
            }
            batch.running.decrementAndGet();
        } finally {
            lock.unlock();
        }
        if (stopped) {
            batch.source.abandon(line);
            drainedIfIdle(batch);
        }
    }

    /** The next key in turn that may run a line now; under the lock. */
    private String eligible(long now) {
        for (int i = 0; i < rotation.size(); i++) {
            int index = (nextOwner + i) % rotation.size();
            Owner owner = owners.get(rotation.get(index));
            if (owner.pausedUntil - now > 0) {
                continue;
            }
            for (Batch batch : owner.batches) {
                if (!batch.taken.isEmpty() || batch.idleUntil - now <= 0) {
                    nextOwner = index + 1;
                    return rotation.get(index);
                }
            }
        }
        return null;
    }

    /** How long nothing may run: until the first key's quota or batch's idle time ends, at most a nap. */
    private long napUntilSomethingMayRun(long now) {
        long nap = NAP_NANOS;
        for (Owner owner : owners.values()) {
            long paused = owner.pausedUntil - now;
            for (Batch batch : owner.batches) {
                long idle = batch.idleUntil - now;
                nap = Math.min(nap, Math.max(Math.max(paused, idle), 1_000_000));
            }
        }
        return nap;
    }

    private Batch nextBatch(Owner owner, long now) {
        lock.lock();
        try {
            for (int i = 0; i < owner.batches.size(); i++) {
                int index = (owner.turn + i) % owner.batches.size();
                Batch batch = owner.batches.get(index);
                if (!batch.taken.isEmpty() || batch.idleUntil - now <= 0) {
                    owner.turn = index + 1;
                    return batch;
                }
            }
            return null;
        } finally {
            lock.unlock();
        }
    }

    /**
     * A line of the batch: one taken before, or the first of what its source gives now. It counts as running
     * from here on, so that a stop cannot see the batch drained while the line is on its way to run.
     */
    private Line take(Batch batch) {
        lock.lock();
        try {
            Line line = batch.removed ? null : batch.taken.poll();
            if (line != null) {
                batch.running.incrementAndGet();
                return line;
            }
        } finally {
            lock.unlock();
        }
        List<Line> lines;
        try {
            lines = batch.source.take(Math.max(1, Math.min(8, slots.availablePermits() + 1)));
        } catch (Exception e) {
            Log.warnf("Batch %s: its next lines cannot be read now (%s)", batch.source.batchId(), e.toString());
            lines = List.of();
        }
        lock.lock();
        try {
            if (lines == null) {
                detach(batch);
            } else if (lines.isEmpty()) {
                batch.idleUntil = System.nanoTime() + IDLE_NANOS;
            } else if (batch.removed) {
                lines.forEach(batch.source::abandon);
            } else {
                batch.taken.addAll(lines);
                batch.running.incrementAndGet();
                return batch.taken.poll();
            }
        } finally {
            lock.unlock();
        }
        if (lines == null) {
            drainedIfIdle(batch);
        }
        return null;
    }

    private void run(Batch batch, Line line) {
        batch.inFlight.add(line);
        if (batch.removed) {
            batch.source.abandon(line);
            finished(batch, line);
            return;
        }
        RequestLine request = RequestLine.parse(line.text);
        Uni<LineOutcome> answer = request == null
                ? Uni.createFrom().item(new LineOutcome(400, null, "invalid_json_line", "The line is not a JSON object."))
                : handler.handle(request, batch.source.owner(), () -> !line.dropped && !stopping);
        // The lines' own work runs on the pool, on every core; recording writes to disk or Redis: off the event loop.
        answer.runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .emitOn(Infrastructure.getDefaultWorkerPool())
                .onFailure().recoverWithItem(failure -> {
                    Log.errorf(failure, "Batch %s, line %d failed unexpectedly", batch.source.batchId(), line.number);
                    return new LineOutcome(500, null, "internal_error", "The line failed unexpectedly.");
                })
                .chain(outcome -> {
                    if (outcome.dropped()) {
                        batch.source.abandon(line);
                        return Uni.createFrom().voidItem();
                    }
                    return batch.source.record(line, outcome);
                })
                .subscribe().with(done -> finished(batch, line), failure -> {
                    Log.errorf("Batch %s, line %d: its answer was not recorded (%s)", batch.source.batchId(),
                            line.number, failure.toString());
                    batch.source.abandon(line);
                    finished(batch, line);
                });
    }

    private void finished(Batch batch, Line line) {
        batch.inFlight.remove(line);
        batch.running.decrementAndGet();
        slots.release();
        drainedIfIdle(batch);
    }

    /** Tells a stopped or exhausted batch's source once its last line here is done. */
    private void drainedIfIdle(Batch batch) {
        boolean tell = false;
        lock.lock();
        try {
            if (batch.removed && batch.running.get() == 0 && !batch.drainedCalled) {
                batch.drainedCalled = true;
                batches.remove(batch.source.batchId(), batch);
                tell = true;
            }
        } finally {
            lock.unlock();
        }
        if (tell) {
            batch.source.drained();
        }
    }

    private Duration quota(String key) {
        if (key.isEmpty()) {
            return Duration.ZERO;
        }
        try {
            return handler.quota(key).await().atMost(Duration.ofSeconds(5));
        } catch (RuntimeException e) {
            Log.debugf("The quota of %s could not be taken (%s); its lines wait", key, e.toString());
            return Duration.ofSeconds(1);
        }
    }

    private void nap() {
        try {
            TimeUnit.NANOSECONDS.sleep(NAP_NANOS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
