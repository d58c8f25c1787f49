package io.rewardgate.jobs;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** The threads of the job stores' own work, named so that a thread dump tells what they are. */
public final class JobThreads {

    /**
     * Validations, finalizations, refills and chunk moves run at most this many at once: each reads or writes a
     * file from start to end, and none waits behind a batch's lines, which have threads of their own.
     */
    public static final int CONTROL = 4;

    private JobThreads() {}

    /** The pool of control work: validating, finalizing, queueing and moving answers. */
    public static ExecutorService control() {
        AtomicInteger count = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(CONTROL, CONTROL, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), task -> daemon(task, "rewardgate-batch-control-" + count.incrementAndGet()));
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    /** A daemon thread of that name. */
    public static Thread daemon(Runnable task, String name) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        return thread;
    }
}
