package io.rewardgate.backend;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Delayed;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** A single-threaded scheduler on a fake clock: tasks run only in {@link #advance}, in time order. */
final class FakeScheduler extends AbstractExecutorService implements ScheduledExecutorService {
    final AtomicLong nanos = new AtomicLong();
    private final PriorityQueue<Task<?>> tasks =
            new PriorityQueue<>(Comparator.<Task<?>>comparingLong(t -> t.at).thenComparingLong(t -> t.sequence));
    private long sequence;
    private boolean shutdown;

    void advance(Duration duration) {
        long until = nanos.get() + duration.toNanos();
        for (Task<?> task = tasks.peek(); task != null && task.at <= until; task = tasks.peek()) {
            tasks.poll();
            nanos.set(task.at);
            task.run();
        }
        nanos.set(until);
    }

    int pending() {
        return tasks.size();
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        return schedule(Executors.callable(command), delay, unit);
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        Task<V> task = new Task<>(callable, nanos.get() + Math.max(0, unit.toNanos(delay)), sequence++);
        tasks.add(task);
        return task;
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        throw new UnsupportedOperationException();
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay,
            TimeUnit unit) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void execute(Runnable command) {
        schedule(command, 0, TimeUnit.NANOSECONDS);
    }

    @Override
    public void shutdown() {
        shutdown = true;
    }

    @Override
    public List<Runnable> shutdownNow() {
        shutdown = true;
        return List.of();
    }

    @Override
    public boolean isShutdown() {
        return shutdown;
    }

    @Override
    public boolean isTerminated() {
        return shutdown;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return shutdown;
    }

    private final class Task<V> implements ScheduledFuture<V> {
        final Callable<V> callable;
        final long at;
        final long sequence;
        private boolean done;
        private boolean cancelled;
        private V result;
        private Exception failure;

        Task(Callable<V> callable, long at, long sequence) {
            this.callable = callable;
            this.at = at;
            this.sequence = sequence;
        }

        void run() {
            done = true;
            try {
                result = callable.call();
            } catch (Exception e) {
                failure = e;
                throw new IllegalStateException("a scheduled task failed", e);
            }
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            if (done) {
                return false;
            }
            done = true;
            cancelled = true;
            tasks.remove(this);
            return true;
        }

        @Override
        public boolean isCancelled() {
            return cancelled;
        }

        @Override
        public boolean isDone() {
            return done;
        }

        @Override
        public V get() {
            if (cancelled) {
                throw new CancellationException();
            }
            if (!done) {
                throw new IllegalStateException("the fake scheduler never blocks: advance the clock first");
            }
            if (failure != null) {
                throw new IllegalStateException(failure);
            }
            return result;
        }

        @Override
        public V get(long timeout, TimeUnit unit) {
            return get();
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(at - nanos.get(), TimeUnit.NANOSECONDS);
        }

        @Override
        public int compareTo(Delayed other) {
            return Long.compare(getDelay(TimeUnit.NANOSECONDS), other.getDelay(TimeUnit.NANOSECONDS));
        }
    }
}
