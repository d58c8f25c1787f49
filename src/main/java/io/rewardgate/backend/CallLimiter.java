package io.rewardgate.backend;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import io.rewardgate.backend.BackendException.Kind;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;

/**
 * Keeps calls to a backend within a concurrency cap and a requests-per-minute budget, without blocking a
 * thread: a call that cannot start at once waits in a FIFO queue for both a permit and a token, for at most
 * {@code maxQueueWait}, then fails as {@link Kind#RATE_LIMITED} with a {@code Retry-After} estimate. When
 * {@code maxQueue} calls already wait, a new one is refused at once (load shedding).
 *
 * <p>The budget is a {@link TokenBucket} of {@code burst} tokens gaining {@code requestsPerMinute / 60} a second,
 * so over any window of {@code t} seconds at most {@code burst + t x requestsPerMinute / 60} calls start. State
 * changes under one lock, held for a few
 * field updates only; waiters are completed outside it.
 *
 * <p>Trainers' calls ({@link Lane#TRAINER}) wait in a queue of their own, behind interactive calls, for at most
 * {@code trainerQueueWait} (as long as a trainer waits for its answer) and {@code trainerMaxQueue} of them at
 * once: a burst of a training step is queued, not shed, while interactive callers keep their short wait.
 *
 * <p>Batch lines ({@link Lane#BATCH}) wait in a queue of their own, without a time limit (their runner bounds
 * how many wait) and behind every caller's. While callers' calls (interactive or trainers') are in flight or
 * waiting, batch lines hold at most {@code batchShare} of the permits and take tokens from a bucket of
 * {@code batchShare} of the budget as well, so that callers find room; when there are none, batch lines may
 * use all of both.
 *
 * <p>Both limits may move while calls run: {@link #resize(int)} sets the permits (an adaptive concurrency limit's
 * latest value; permits held beyond a lowered limit are not taken back, no new one goes out until enough are
 * returned), and an {@link AdaptiveRate}, when given, sets the budget's rate from the backend's 429s.
 */
public final class CallLimiter {

    /** What a limiter allows; {@code requestsPerMinute} 0 means no budget. */
    public record Settings(int maxConcurrency, int requestsPerMinute, int burst, Duration maxQueueWait, int maxQueue,
            double batchShare, Duration trainerQueueWait, int trainerMaxQueue) {

        public Settings {
            if (maxConcurrency < 1 || requestsPerMinute < 0 || burst < 1 || maxQueueWait.isNegative() || maxQueue < 0
                    || !(batchShare >= 0 && batchShare <= 1) || trainerQueueWait.isNegative() || trainerMaxQueue < 0) {
                throw new IllegalArgumentException("invalid limiter settings: max-concurrency " + maxConcurrency
                        + ", requests-per-minute " + requestsPerMinute + ", burst " + burst + ", max-queue-wait "
                        + maxQueueWait + ", max-queue " + maxQueue + ", batch share " + batchShare
                        + ", trainer-queue-wait " + trainerQueueWait + ", trainer-max-queue " + trainerMaxQueue);
            }
        }

        /** Trainers' calls wait as interactive ones do. */
        public Settings(int maxConcurrency, int requestsPerMinute, int burst, Duration maxQueueWait, int maxQueue,
                double batchShare) {
            this(maxConcurrency, requestsPerMinute, burst, maxQueueWait, maxQueue, batchShare, maxQueueWait, maxQueue);
        }

        /** Batch lines get all of it when no caller's call waits. */
        public Settings(int maxConcurrency, int requestsPerMinute, int burst, Duration maxQueueWait, int maxQueue) {
            this(maxConcurrency, requestsPerMinute, burst, maxQueueWait, maxQueue, 1);
        }

        /** Without a bound on the queue's length. */
        public Settings(int maxConcurrency, int requestsPerMinute, int burst, Duration maxQueueWait) {
            this(maxConcurrency, requestsPerMinute, burst, maxQueueWait, Integer.MAX_VALUE);
        }

        /** Permits batch lines may hold under {@code limit} while a caller's call waits; at least one, to go on. */
        int batchPermits(int limit) {
            return Math.max(1, (int) Math.floor(batchShare * limit));
        }

        /** How long a call of {@code lane} may wait for its permit and token. */
        Duration queueWait(Lane lane) {
            return lane == Lane.TRAINER ? trainerQueueWait : maxQueueWait;
        }

        /** How many calls of {@code lane} may wait at once. */
        int maxQueue(Lane lane) {
            return lane == Lane.TRAINER ? trainerMaxQueue : maxQueue;
        }
    }

    /** Told of every permit granted (after how long), released and refused. */
    public interface Listener {
        void granted(Duration waited);

        void released();

        void refused();
    }

    private final Settings settings;
    private final Listener listener;
    private final ScheduledExecutorService scheduler;
    private final LongSupplier nanoTime;

    private final Object lock = new Object();
    private final LinkedHashSet<Waiter> waiters = new LinkedHashSet<>();
    private final LinkedHashSet<Waiter> trainerWaiters = new LinkedHashSet<>();
    private final LinkedHashSet<Waiter> batchWaiters = new LinkedHashSet<>();
    private final AtomicInteger drainsPending = new AtomicInteger();
    private int limit;
    private int available;
    private int batchInFlight;
    private int interactiveInFlight;
    private int trainerInFlight;
    private final TokenBucket budget;
    private final TokenBucket batchBudget;
    private final AdaptiveRate rate;
    private boolean refillScheduled;

    public CallLimiter(Settings settings, Listener listener, ScheduledExecutorService scheduler, LongSupplier nanoTime) {
        this(settings, false, listener, scheduler, nanoTime);
    }

    /**
     * @param adaptiveRate whether the budget's rate is found from the backend's 429s ({@link #rejected}); then
     *     {@code settings.requestsPerMinute()} is not read
     */
    public CallLimiter(Settings settings, boolean adaptiveRate, Listener listener, ScheduledExecutorService scheduler,
            LongSupplier nanoTime) {
        this.settings = settings;
        this.listener = listener;
        this.scheduler = scheduler;
        this.nanoTime = nanoTime;
        long now = nanoTime.getAsLong();
        this.rate = adaptiveRate ? new AdaptiveRate(now) : null;
        double perMinute = adaptiveRate ? rate.perMinute() : settings.requestsPerMinute();
        this.budget = new TokenBucket(perMinute, settings.burst(), now);
        this.batchBudget = new TokenBucket(perMinute * settings.batchShare(),
                Math.max(1, settings.burst() * settings.batchShare()), now);
        this.limit = settings.maxConcurrency();
        this.available = limit;
    }

    /**
     * Sets how many calls may hold a permit at once from now on; waiters get the new room at once. Calls already
     * in flight beyond a lowered limit finish undisturbed.
     */
    public void resize(int newLimit) {
        if (newLimit < 1) {
            throw new IllegalArgumentException("a limit of " + newLimit);
        }
        synchronized (lock) {
            available += newLimit - limit;
            limit = newLimit;
        }
        drain();
    }

    /** How many calls may hold a permit at once now. */
    public int limit() {
        synchronized (lock) {
            return limit;
        }
    }

    /** The budget's requests a minute now; 0 when there is none. */
    public double ratePerMinute() {
        if (rate == null) {
            return settings.requestsPerMinute();
        }
        synchronized (lock) {
            return rate.perMinute();
        }
    }

    /** The adaptive rate's generation now, for {@link #rejected}: 0 when the rate is fixed, without the lock. */
    public long rateGeneration() {
        if (rate == null) {
            return 0;
        }
        synchronized (lock) {
            return rate.generation();
        }
    }

    /**
     * The backend refused a call let through under {@code generation} as one too many: with an adaptive rate, the
     * rate drops (once for the calls of one generation), and no token comes before {@code retryAfter} has passed.
     */
    public void rejected(long generation, Duration retryAfter) {
        if (rate == null) {
            return;
        }
        synchronized (lock) {
            long now = nanoTime.getAsLong();
            if (rate.rejected(generation, now)) {
                setRate(now);
            }
            refill();
            budget.pause(retryAfter.toNanos());
            batchBudget.pause(retryAfter.toNanos());
        }
        drain();
    }

    /** Gives the buckets the adaptive rate's value; under the lock. */
    private void setRate(long now) {
        budget.rate(rate.perMinute(), now);
        batchBudget.rate(rate.perMinute() * settings.batchShare(), now);
    }

    /** Runs {@code call} once a permit and a token are had, and gives the permit back when it ends. */
    public <T> Uni<T> run(Supplier<Uni<T>> call) {
        return run(call, Lane.INTERACTIVE);
    }

    /** Runs {@code call} in {@code lane} once a permit and a token are had, and gives the permit back when it ends. */
    public <T> Uni<T> run(Supplier<Uni<T>> call, Lane lane) {
        return acquire(lane).onItem().transformToUni(permit -> {
            permit.claimed.set(true);
            Uni<T> started;
            try {
                started = Objects.requireNonNull(call.get(), "call");
            } catch (Throwable e) {
                permit.release();
                throw e;
            }
            return started.onTermination().invoke(permit::release);
        });
    }

    /** Calls holding a permit now. */
    public int inFlight() {
        synchronized (lock) {
            return limit - available;
        }
    }

    /** Calls of {@code lane} holding a permit now. */
    public int inFlight(Lane lane) {
        synchronized (lock) {
            return switch (lane) {
                case INTERACTIVE -> interactiveInFlight;
                case TRAINER -> trainerInFlight;
                case BATCH -> batchInFlight;
            };
        }
    }

    /** Interactive calls waiting for a permit or a token now. */
    public int queued() {
        return queued(Lane.INTERACTIVE);
    }

    /** Calls of {@code lane} waiting for a permit or a token now. */
    public int queued(Lane lane) {
        synchronized (lock) {
            return queue(lane).size();
        }
    }

    private LinkedHashSet<Waiter> queue(Lane lane) {
        return switch (lane) {
            case INTERACTIVE -> waiters;
            case TRAINER -> trainerWaiters;
            case BATCH -> batchWaiters;
        };
    }

    /** A caller's permit (interactive or trainer): it waits behind callers of its lane and those before it. */
    private Uni<Permit> acquire(Lane lane) {
        if (lane == Lane.BATCH) {
            return acquireBatch();
        }
        LinkedHashSet<Waiter> queue = queue(lane);
        return Uni.createFrom().<Permit>emitter(emitter -> {
            Waiter waiter = new Waiter(emitter, nanoTime.getAsLong(), lane);
            emitter.onTermination(() -> leave(waiter));
            boolean now;
            Duration shed = null;
            synchronized (lock) {
                now = waiters.isEmpty() && (lane == Lane.INTERACTIVE || trainerWaiters.isEmpty()) && take(lane);
                if (!now && queue.size() >= settings.maxQueue(lane)) {
                    shed = retryAfter(lane);
                } else if (!now) {
                    queue.add(waiter);
                    waiter.timeout = later(() -> expire(waiter), settings.queueWait(lane).toNanos());
                    scheduleRefillIfStarved();
                }
            }
            if (now) {
                waiter.grant();
            } else if (shed != null) {
                listener.refused();
                emitter.fail(new BackendException(Kind.RATE_LIMITED,
                        "Too many calls to the backend are waiting: the queue of " + settings.maxQueue(lane)
                                + " is full.",
                        shed, null));
            }
        });
    }

    /** A batch line's permit: it waits behind interactive calls, and as long as it takes. */
    private Uni<Permit> acquireBatch() {
        return Uni.createFrom().<Permit>emitter(emitter -> {
            Waiter waiter = new Waiter(emitter, nanoTime.getAsLong(), Lane.BATCH);
            emitter.onTermination(() -> leave(waiter));
            boolean now;
            synchronized (lock) {
                // Behind every waiting caller too: a token due before the refill timer runs is theirs.
                now = waiters.isEmpty() && trainerWaiters.isEmpty() && batchWaiters.isEmpty() && take(Lane.BATCH);
                if (!now) {
                    batchWaiters.add(waiter);
                    scheduleRefillIfStarved();
                }
            }
            if (now) {
                waiter.grant();
            }
        });
    }

    /**
     * Takes a permit and a token for {@code lane} if both are there; under the lock. While interactive calls
     * are about, a batch line needs a permit within its share and a token of its share of the budget besides.
     */
    private boolean take(Lane lane) {
        if (available <= 0) {
            return false;
        }
        boolean yielding = lane == Lane.BATCH && interactiveDemand();
        if (yielding && batchInFlight >= settings.batchPermits(limit)) {
            return false;
        }
        if (budget.limits()) {
            refill();
            if (!budget.hasToken() || yielding && !batchBudget.hasToken()) {
                if (rate != null && !budget.hasToken()) {
                    long now = nanoTime.getAsLong();
                    rate.limited(now);
                    setRate(now);
                }
                return false;
            }
            budget.take();
            if (yielding) {
                batchBudget.take();
            }
            if (rate != null) {
                rate.taken(nanoTime.getAsLong());
            }
        }
        available--;
        count(lane, 1);
        return true;
    }

    /** Adds {@code change} to the calls of {@code lane} in flight; under the lock. */
    private void count(Lane lane, int change) {
        switch (lane) {
            case INTERACTIVE -> interactiveInFlight += change;
            case TRAINER -> trainerInFlight += change;
            case BATCH -> batchInFlight += change;
        }
    }

    /** Whether callers' calls (interactive or trainers') are in flight or waiting; under the lock. */
    private boolean interactiveDemand() {
        return interactiveInFlight > 0 || trainerInFlight > 0 || !waiters.isEmpty() || !trainerWaiters.isEmpty();
    }

    private void refill() {
        long now = nanoTime.getAsLong();
        budget.refill(now);
        batchBudget.refill(now);
    }

    /** When waiters wait for a token only, wake up when the next one is due; under the lock. */
    private void scheduleRefillIfStarved() {
        if (refillScheduled || available <= 0 || !budget.limits()) {
            return;
        }
        double due = Double.POSITIVE_INFINITY;
        if (!waiters.isEmpty() || !trainerWaiters.isEmpty()) {
            due = budget.nanosUntil(1);
        }
        if (!batchWaiters.isEmpty()) {
            boolean yielding = interactiveDemand();
            if (!yielding) {
                due = Math.min(due, budget.nanosUntil(1));
            } else if (batchInFlight < settings.batchPermits(limit) && batchBudget.limits()) {
                due = Math.min(due, Math.max(budget.nanosUntil(1), batchBudget.nanosUntil(1)));
            }
        }
        // Nothing is waiting for a token (or a due token would already have been taken): nothing to wake up for.
        if (due <= 0 || Double.isInfinite(due)) {
            return;
        }
        later(() -> {
            synchronized (lock) {
                refillScheduled = false;
            }
            drain();
        }, (long) Math.ceil(due));
        refillScheduled = true;
    }

    /**
     * Runs {@code task} after {@code nanos}, in whole milliseconds and at least one: schedulers backed by
     * event-loop timers refuse shorter delays.
     */
    private ScheduledFuture<?> later(Runnable task, long nanos) {
        long millis = Math.max(1, (nanos + 999_999) / 1_000_000);
        return scheduler.schedule(task, millis, TimeUnit.MILLISECONDS);
    }

    private void release(Lane lane) {
        synchronized (lock) {
            available++;
            count(lane, -1);
        }
        listener.released();
        drain();
    }

    /**
     * Hands permits to waiters in order while permits and tokens last. A call that ends at once releases its
     * permit from inside {@code grant()}; that nested drain only counts itself in and the running one loops
     * again, so the stack stays flat however many waiters there are.
     */
    private void drain() {
        if (drainsPending.getAndIncrement() != 0) {
            return;
        }
        int pending = 1;
        do {
            List<Waiter> granted = new ArrayList<>();
            synchronized (lock) {
                Iterator<Waiter> next = waiters.iterator();
                while (next.hasNext() && take(Lane.INTERACTIVE)) {
                    Waiter waiter = next.next();
                    next.remove();
                    granted.add(waiter);
                }
                if (waiters.isEmpty()) {
                    Iterator<Waiter> nextTrainer = trainerWaiters.iterator();
                    while (nextTrainer.hasNext() && take(Lane.TRAINER)) {
                        Waiter waiter = nextTrainer.next();
                        nextTrainer.remove();
                        granted.add(waiter);
                    }
                }
                Iterator<Waiter> nextBatch = batchWaiters.iterator();
                while (nextBatch.hasNext() && take(Lane.BATCH)) {
                    Waiter waiter = nextBatch.next();
                    nextBatch.remove();
                    granted.add(waiter);
                }
                scheduleRefillIfStarved();
            }
            for (Waiter waiter : granted) {
                if (waiter.timeout != null) {
                    waiter.timeout.cancel(false);
                }
                waiter.grant();
            }
            pending = drainsPending.addAndGet(-pending);
        } while (pending != 0);
    }

    /** A waiter that went away (or was served) leaves the queue. */
    private void leave(Waiter waiter) {
        boolean batchMayGo;
        synchronized (lock) {
            boolean callerLeft = waiters.remove(waiter) || trainerWaiters.remove(waiter);
            if (callerLeft) {
                waiter.timeout.cancel(false);
            }
            batchWaiters.remove(waiter);
            batchMayGo = callerLeft && (!batchWaiters.isEmpty() || !trainerWaiters.isEmpty());
        }
        // Calls held back while this one waited (trainers' behind an interactive one, batch lines) may go now.
        if (batchMayGo) {
            drain();
        }
    }

    private void expire(Waiter waiter) {
        Duration retryAfter;
        boolean othersWaiting;
        synchronized (lock) {
            if (!queue(waiter.lane).remove(waiter)) {
                return;
            }
            retryAfter = retryAfter(waiter.lane);
            othersWaiting = !batchWaiters.isEmpty() || !trainerWaiters.isEmpty();
        }
        listener.refused();
        waiter.emitter.fail(new BackendException(Kind.RATE_LIMITED,
                "Too many calls to the backend are waiting: none could start within "
                        + settings.queueWait(waiter.lane).toMillis() + " ms.",
                retryAfter, null));
        // Calls held back while it waited may go now.
        if (othersWaiting) {
            drain();
        }
    }

    /**
     * A guess at when a call of {@code lane} arriving now could start, under the lock: when the budget would
     * have a token for it behind the calls still waiting before it and, when every permit is taken, no sooner
     * than an interactive call's queue wait (a trainer's, minutes long, would say little).
     */
    private Duration retryAfter(Lane lane) {
        Duration wait = Duration.ZERO;
        if (budget.limits()) {
            refill();
            int ahead = waiters.size() + (lane == Lane.TRAINER ? trainerWaiters.size() : 0);
            wait = Duration.ofNanos((long) Math.ceil(budget.nanosUntil(ahead + 1)));
        }
        if (available <= 0 && wait.compareTo(settings.maxQueueWait()) < 0) {
            wait = settings.maxQueueWait();
        }
        return wait;
    }

    /** A call waiting for its turn. */
    private final class Waiter {
        final UniEmitter<? super Permit> emitter;
        final long since;
        final Lane lane;
        ScheduledFuture<?> timeout;

        Waiter(UniEmitter<? super Permit> emitter, long since, Lane lane) {
            this.emitter = emitter;
            this.since = since;
            this.lane = lane;
        }

        void grant() {
            Permit permit = new Permit(lane);
            listener.granted(Duration.ofNanos(nanoTime.getAsLong() - since));
            emitter.complete(permit);
            // The item reaches run() synchronously; unclaimed, the subscriber had gone away: give it back.
            if (!permit.claimed.get()) {
                permit.release();
            }
        }
    }

    /** One call's right to run; claimed when the call starts, released exactly once. */
    private final class Permit {
        final AtomicBoolean claimed = new AtomicBoolean();
        final AtomicBoolean released = new AtomicBoolean();
        final Lane lane;

        Permit(Lane lane) {
            this.lane = lane;
        }

        void release() {
            if (released.compareAndSet(false, true)) {
                CallLimiter.this.release(lane);
            }
        }
    }
}
