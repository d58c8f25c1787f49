package io.rewardgate.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import io.rewardgate.backend.BackendException.Kind;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;
import io.smallrye.mutiny.subscription.UniEmitter;

class CallLimiterTest {

    private static final Duration LONG_WAIT = Duration.ofHours(1);

    private final FakeScheduler scheduler = new FakeScheduler();
    private final RecordingListener listener = new RecordingListener();

    @Test
    void neverMoreCallsInFlightThanTheCap() {
        Calls calls = new Calls(limiter(3, 0, 1, LONG_WAIT));

        calls.submitHeld(10);

        assertThat(calls.started).containsExactly(0, 1, 2);
        assertThat(calls.limiter.inFlight()).isEqualTo(3);
        assertThat(calls.limiter.queued()).isEqualTo(7);

        scheduler.advance(Duration.ofSeconds(1));
        calls.finish(0);
        assertThat(calls.started).containsExactly(0, 1, 2, 3);
        assertThat(calls.limiter.inFlight()).isEqualTo(3);
        assertThat(calls.limiter.queued()).isEqualTo(6);
        assertThat(listener.waits).last().isEqualTo(Duration.ofSeconds(1));

        // The next in line starts, whichever call ends.
        calls.finish(2);
        assertThat(calls.started).containsExactly(0, 1, 2, 3, 4);

        for (int i : new int[] {1, 3, 4, 5, 6, 7, 8, 9}) {
            int before = calls.started.size();
            calls.finish(i);
            assertThat(calls.started).hasSize(Math.min(before + 1, 10));
            assertThat(calls.limiter.inFlight()).isLessThanOrEqualTo(3);
        }

        assertThat(calls.started).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        assertThat(calls.items).hasSize(10);
        assertThat(calls.failures).isEmpty();
        assertThat(calls.limiter.inFlight()).isZero();
        assertThat(calls.limiter.queued()).isZero();
        assertThat(listener.granted).hasValue(10);
        assertThat(listener.released).hasValue(10);
        assertThat(listener.refused).hasValue(0);
    }

    @Test
    void aFailedCallAndACancelledCallBothGiveTheirPermitBack() {
        Calls calls = new Calls(limiter(1, 0, 1, LONG_WAIT));
        calls.submitHeld(3);
        assertThat(calls.started).containsExactly(0);

        RuntimeException boom = new IllegalStateException("boom");
        calls.emitters.get(0).fail(boom);

        assertThat(calls.failures).containsEntry(0, boom);
        assertThat(calls.started).containsExactly(0, 1);
        assertThat(listener.released).hasValue(1);
        assertThat(calls.limiter.inFlight()).isEqualTo(1);
        assertThat(calls.limiter.queued()).isEqualTo(1);

        calls.subscriptions.get(1).cancel();

        assertThat(calls.cancelled).containsExactly(1);
        assertThat(calls.items).doesNotContainKey(1);
        assertThat(calls.failures).doesNotContainKey(1);
        assertThat(calls.started).containsExactly(0, 1, 2);
        assertThat(listener.released).hasValue(2);
        assertThat(calls.limiter.inFlight()).isEqualTo(1);
        assertThat(calls.limiter.queued()).isZero();

        calls.finish(2);
        assertThat(calls.items).containsOnlyKeys(2);
        assertThat(calls.limiter.inFlight()).isZero();
        assertThat(listener.granted).hasValue(3);
        assertThat(listener.released).hasValue(3);
    }

    @Test
    void aCallWhoseSupplierThrowsGivesItsPermitBack() {
        Calls calls = new Calls(limiter(1, 0, 1, LONG_WAIT));
        calls.submitHeld(1);
        RuntimeException boom = new IllegalStateException("cannot even start");
        List<Throwable> thrown = new ArrayList<>();
        calls.limiter.<String>run(() -> {
            throw boom;
        }).subscribe().with(item -> { }, thrown::add);
        calls.submitHeld(1);
        assertThat(calls.limiter.queued()).isEqualTo(2);

        calls.finish(0);

        assertThat(thrown).containsExactly(boom);
        assertThat(calls.started).containsExactly(0, 1);
        assertThat(calls.limiter.inFlight()).isEqualTo(1);
        assertThat(calls.limiter.queued()).isZero();

        calls.finish(1);
        assertThat(calls.limiter.inFlight()).isZero();
        assertThat(listener.granted).hasValue(3);
        assertThat(listener.released).hasValue(3);
    }

    @Test
    void aSubscriberThatCancelsWhileWaitingLeavesTheQueueAndNeverRuns() {
        Calls calls = new Calls(limiter(1, 0, 1, Duration.ofSeconds(30)));
        calls.submitHeld(4);
        assertThat(calls.limiter.queued()).isEqualTo(3);
        assertThat(scheduler.pending()).isEqualTo(3);

        calls.subscriptions.get(2).cancel();

        assertThat(calls.limiter.queued()).isEqualTo(2);
        assertThat(scheduler.pending()).as("the cancelled waiter's timeout is cancelled too").isEqualTo(2);

        calls.finish(0);
        assertThat(calls.started).containsExactly(0, 1);
        calls.finish(1);
        assertThat(calls.started).containsExactly(0, 1, 3);
        calls.finish(3);

        assertThat(calls.started).containsExactly(0, 1, 3);
        assertThat(calls.items).containsOnlyKeys(0, 1, 3);
        assertThat(calls.failures).isEmpty();
        assertThat(calls.limiter.inFlight()).isZero();
        assertThat(calls.limiter.queued()).isZero();
        assertThat(scheduler.pending()).isZero();
        assertThat(listener.granted).hasValue(3);
        assertThat(listener.released).hasValue(3);

        scheduler.advance(Duration.ofMinutes(1));
        assertThat(calls.failures).isEmpty();
        assertThat(listener.refused).hasValue(0);
    }

    @Test
    void aCallThatWaitsLongerThanTheQueueWaitIsRefusedWithRetryAfter() {
        Calls calls = new Calls(limiter(1, 0, 1, Duration.ofSeconds(5)));
        calls.submitHeld(2);
        assertThat(calls.started).containsExactly(0);

        scheduler.advance(Duration.ofMillis(4900));
        assertThat(calls.failures).isEmpty();
        assertThat(calls.limiter.queued()).isEqualTo(1);

        scheduler.advance(Duration.ofMillis(100));
        assertThat(calls.failures).containsOnlyKeys(1);
        assertThat(calls.failures.get(1)).isInstanceOfSatisfying(BackendException.class, e -> {
            assertThat(e.kind()).isEqualTo(Kind.RATE_LIMITED);
            assertThat(e.retryAfter()).contains(Duration.ofSeconds(5));
        });
        assertThat(listener.refused).hasValue(1);
        assertThat(calls.started).containsExactly(0);
        assertThat(calls.limiter.queued()).isZero();
        assertThat(calls.limiter.inFlight()).isEqualTo(1);

        calls.finish(0);
        assertThat(calls.started).containsExactly(0);
        assertThat(calls.limiter.inFlight()).isZero();
        assertThat(listener.granted).hasValue(1);
        assertThat(listener.released).hasValue(1);
    }

    @Test
    void callsStartNoFasterThanTheBurstPlusTheRate() {
        Calls calls = new Calls(limiter(100, 120, 3, LONG_WAIT));
        calls.submitImmediate(20);
        assertThat(calls.started).hasSize(3);

        for (int step = 1; step <= 50; step++) {
            scheduler.advance(Duration.ofMillis(100));
            int allowed = 3 + (2 * step) / 10;
            assertThat(calls.started).as("started after %d ms", step * 100).hasSizeLessThanOrEqualTo(allowed);
            // The budget must also be used: at most one token late (a refill timer may be a nanosecond late).
            assertThat(calls.started).as("started after %d ms", step * 100).hasSizeGreaterThanOrEqualTo(allowed - 1);
        }
        assertThat(calls.started).hasSize(13);

        scheduler.advance(Duration.ofSeconds(10));
        assertThat(calls.started).containsExactlyElementsOf(IntStream.range(0, 20).boxed().toList());
        assertThat(calls.items).hasSize(20);
        assertThat(calls.failures).isEmpty();
        assertThat(calls.limiter.inFlight()).isZero();
        assertThat(calls.limiter.queued()).isZero();
        assertThat(listener.waits).hasSize(20).contains(Duration.ofMillis(500), Duration.ofSeconds(1));
    }

    @Test
    void aNewCallDoesNotOvertakeCallsWaitingForAToken() {
        Calls calls = new Calls(limiter(10, 60, 1, LONG_WAIT));
        // Scheduled before the limiter's refill timer, this newcomer arrives when the token is due but
        // before the limiter hands it out, as with a refill timer that fires late.
        scheduler.schedule(() -> calls.submitImmediate(1), 1, TimeUnit.SECONDS);
        calls.submitImmediate(2);
        assertThat(calls.started).containsExactly(0);

        scheduler.advance(Duration.ofSeconds(1));
        assertThat(calls.started).containsExactly(0, 1);
        assertThat(calls.limiter.queued()).isEqualTo(1);

        scheduler.advance(Duration.ofSeconds(1));
        assertThat(calls.started).containsExactly(0, 1, 2);
        assertThat(calls.limiter.queued()).isZero();
    }

    @Test
    void theBudgetRefillsToNoMoreThanTheBurst() {
        Calls calls = new Calls(limiter(100, 60, 2, LONG_WAIT));
        calls.submitImmediate(2);
        assertThat(calls.started).hasSize(2);

        scheduler.advance(Duration.ofSeconds(60));
        calls.submitImmediate(5);

        assertThat(calls.started).hasSize(4);
        assertThat(calls.limiter.queued()).isEqualTo(3);
        scheduler.advance(Duration.ofSeconds(1));
        assertThat(calls.started).hasSize(5);
        scheduler.advance(Duration.ofSeconds(2));
        assertThat(calls.started).hasSize(7);
        assertThat(calls.limiter.queued()).isZero();
    }

    @Test
    void withoutABudgetEveryCallUpToTheCapStartsAtOnce() {
        Calls calls = new Calls(limiter(10, 0, 1, LONG_WAIT));

        calls.submitHeld(10);
        assertThat(calls.started).hasSize(10);
        assertThat(calls.limiter.inFlight()).isEqualTo(10);
        assertThat(calls.limiter.queued()).isZero();

        calls.submitHeld(1);
        assertThat(calls.started).hasSize(10);
        assertThat(calls.limiter.queued()).isEqualTo(1);
    }

    @Test
    void withoutABudgetManyImmediateCallsAllStartAtOnce() {
        Calls calls = new Calls(limiter(10, 0, 1, LONG_WAIT));

        calls.submitImmediate(500);

        assertThat(calls.started).hasSize(500);
        assertThat(calls.items).hasSize(500);
        assertThat(calls.limiter.inFlight()).isZero();
        assertThat(calls.limiter.queued()).isZero();
        assertThat(scheduler.pending()).isZero();
    }

    @Test
    void manyQueuedCallsThatEndAtOnceAllRunWhenThePermitFreesUp() {
        Calls calls = new Calls(limiter(1, 0, 1, LONG_WAIT));
        calls.submitHeld(1);
        calls.submitImmediate(2_000);
        assertThat(calls.limiter.queued()).isEqualTo(2_000);

        // Each waiter's call ends inside its own grant, so handing on the permit must not nest per waiter.
        calls.finish(0);

        assertThat(calls.failures).isEmpty();
        assertThat(calls.started).hasSize(2_001);
        assertThat(calls.items).hasSize(2_001);
        assertThat(calls.limiter.inFlight()).isZero();
        assertThat(calls.limiter.queued()).isZero();
        calls.submitHeld(1);
        assertThat(calls.started).hasSize(2_002);
    }

    @Test
    void retryAfterUnderABudgetIsTheQueueDrainTime() {
        Calls calls = new Calls(limiter(10, 60, 1, Duration.ofSeconds(2)));
        calls.submitImmediate(4);
        assertThat(calls.started).containsExactly(0);
        assertThat(calls.limiter.queued()).isEqualTo(3);

        // One token a second: the second call gets the token that comes at 1 s.
        scheduler.advance(Duration.ofSeconds(1));
        assertThat(calls.started).containsExactly(0, 1);
        assertThat(calls.limiter.queued()).isEqualTo(2);

        scheduler.advance(Duration.ofSeconds(1));
        assertThat(calls.started).containsExactly(0, 1);
        assertThat(calls.failures).containsOnlyKeys(2, 3);
        assertThat(listener.refused).hasValue(2);
        assertThat(calls.limiter.queued()).isZero();
        Duration third = retryAfter(calls.failures.get(2));
        Duration fourth = retryAfter(calls.failures.get(3));
        // Both expire at 2 s, just as the next token is due. Call 2 goes first, with call 3 still waiting: a
        // newcomer would need the token after call 3's, (1 waiting + 1 - 1 token) / (1 a second) = 1 s.
        // Then call 3, with nobody waiting and that token there: a newcomer could start at once.
        assertThat(third).isEqualTo(Duration.ofSeconds(1));
        assertThat(fourth).isZero();
    }

    @Test
    void invalidSettingsAreRefused() {
        Duration wait = Duration.ofSeconds(1);
        assertThatThrownBy(() -> new CallLimiter.Settings(0, 0, 1, wait))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CallLimiter.Settings(1, -1, 1, wait))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CallLimiter.Settings(1, 0, 0, wait))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CallLimiter.Settings(1, 0, 1, Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(new CallLimiter.Settings(1, 0, 1, Duration.ZERO).maxQueueWait()).isZero();
    }

    @Test
    void theInvalidSettingsMessageShowsTheRejectedValues() {
        assertThatThrownBy(() -> new CallLimiter.Settings(4, -7, 2, Duration.ofSeconds(3)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("max-concurrency 4")
                .hasMessageContaining("requests-per-minute -7");
    }

    @Test
    void underConcurrentLoadNeverMoreThanTheCapRunAtOnce() throws InterruptedException {
        int total = 2_000;
        ScheduledThreadPoolExecutor limiterScheduler = new ScheduledThreadPoolExecutor(2);
        ScheduledThreadPoolExecutor completer = new ScheduledThreadPoolExecutor(4);
        ExecutorService submitters = Executors.newFixedThreadPool(4);
        try {
            CallLimiter limiter = new CallLimiter(new CallLimiter.Settings(8, 0, 1, Duration.ofSeconds(60)),
                    listener, limiterScheduler, System::nanoTime);
            AtomicInteger running = new AtomicInteger();
            AtomicInteger maxRunning = new AtomicInteger();
            AtomicInteger succeeded = new AtomicInteger();
            ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
            CountDownLatch done = new CountDownLatch(total);
            CountDownLatch go = new CountDownLatch(1);

            for (int t = 0; t < 4; t++) {
                int first = t * (total / 4);
                submitters.execute(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                    for (int i = first; i < first + total / 4; i++) {
                        int id = i;
                        limiter.run(() -> Uni.createFrom().<Integer>emitter(emitter -> {
                            maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
                            completer.schedule(() -> {
                                // Decrement first: completing frees the permit and may start the next call at once.
                                running.decrementAndGet();
                                emitter.complete(id);
                            }, ThreadLocalRandom.current().nextLong(2_001), TimeUnit.MICROSECONDS);
                        })).subscribe().with(item -> {
                            succeeded.incrementAndGet();
                            done.countDown();
                        }, failure -> {
                            failures.add(failure);
                            done.countDown();
                        });
                    }
                });
            }
            go.countDown();

            assertThat(done.await(30, TimeUnit.SECONDS)).as("all calls ended within 30 s").isTrue();
            assertThat(failures).isEmpty();
            assertThat(succeeded).hasValue(total);
            assertThat(maxRunning.get()).isBetween(1, 8);
            assertThat(limiter.inFlight()).isZero();
            assertThat(limiter.queued()).isZero();
            assertThat(listener.granted).hasValue(total);
            assertThat(listener.released).hasValue(total);
        } finally {
            submitters.shutdownNow();
            completer.shutdownNow();
            limiterScheduler.shutdownNow();
        }
    }

    @Test
    void batchLinesTakeWhatIsFreeWhenNoInteractiveCallIsAbout() {
        Calls calls = new Calls(lanes(4, 0, 1, 0.5));

        List<Integer> batch = calls.submitHeld(6, Lane.BATCH);

        assertThat(calls.started).containsExactlyElementsOf(batch.subList(0, 4));
        assertThat(calls.limiter.inFlight(Lane.BATCH)).isEqualTo(4);
        assertThat(calls.limiter.queued(Lane.BATCH)).isEqualTo(2);
        assertThat(calls.limiter.queued()).as("batch lines are not in the interactive queue").isZero();
    }

    @Test
    void interactiveCallsGoFirstAndBatchLinesKeepToTheirShareWhileInteractiveCallsAreAbout() {
        Calls calls = new Calls(lanes(4, 0, 1, 0.5));
        List<Integer> batch = calls.submitHeld(4, Lane.BATCH);
        List<Integer> waitingBatch = calls.submitHeld(3, Lane.BATCH);
        calls.submitHeld(2);
        List<Integer> interactive = List.of(7, 8);
        assertThat(calls.limiter.queued()).isEqualTo(2);

        // Batch lines end: their permits go to the interactive calls waiting, not to the next batch lines.
        calls.finish(batch.get(0));
        calls.finish(batch.get(1));
        assertThat(calls.started).containsExactly(0, 1, 2, 3, interactive.get(0), interactive.get(1));

        // With interactive calls in flight, batch lines may hold 2 of the 4 permits.
        calls.finish(batch.get(2));
        assertThat(calls.started).endsWith(waitingBatch.get(0));
        calls.finish(interactive.get(0));
        assertThat(calls.limiter.inFlight(Lane.BATCH)).isEqualTo(2);
        assertThat(calls.limiter.inFlight()).as("a permit stays free for interactive callers").isEqualTo(3);

        // The last interactive call ends: batch lines may take everything again.
        calls.finish(interactive.get(1));
        assertThat(calls.started).endsWith(waitingBatch.get(1), waitingBatch.get(2));
        assertThat(calls.limiter.inFlight(Lane.BATCH)).isEqualTo(4);
        assertThat(calls.failures).isEmpty();
    }

    @Test
    void batchLinesNeverTimeOutAndAreNotShed() {
        Calls calls = new Calls(new CallLimiter(new CallLimiter.Settings(1, 0, 1, Duration.ofSeconds(1), 2, 0.5),
                listener, scheduler, scheduler.nanos::get));
        calls.submitHeld(1);
        List<Integer> batch = calls.submitHeld(5, Lane.BATCH);

        scheduler.advance(Duration.ofHours(2));

        assertThat(calls.failures).isEmpty();
        assertThat(calls.limiter.queued(Lane.BATCH)).isEqualTo(5);
        calls.finish(0);
        assertThat(calls.started).containsExactly(0, batch.get(0));
        assertThat(listener.refused).hasValue(0);
    }

    @Test
    void whileInteractiveCallsAreAboutBatchLinesSpendNoMoreThanTheirShareOfTheBudget() {
        // 60 a minute, a token a second, a bucket of 2; batch lines get half of it while interactive calls are
        // about (and half of 20 permits, more than this test uses).
        Calls calls = new Calls(lanes(20, 60, 2, 0.5));
        calls.submitHeld(1);
        assertThat(calls.started).containsExactly(0);
        List<Integer> batch = calls.submitHeld(10, Lane.BATCH);
        // One token left in the bucket, one in the batch lines' own: the first batch line takes both.
        assertThat(calls.started).containsExactly(0, batch.get(0));

        scheduler.advance(Duration.ofSeconds(11));

        // Their own bucket gains half a token a second while the interactive call is in flight: one every 2 s.
        assertThat(calls.started).hasSize(2 + 5);
        // Once no interactive call is about, the whole budget: the two tokens saved up, then one a second.
        calls.finish(0);
        assertThat(calls.started).hasSize(7 + 2);
        scheduler.advance(Duration.ofSeconds(2));
        assertThat(calls.started).hasSize(11);
    }

    @Test
    void trainersCallsWaitTheirOwnLongerWaitInABoundedQueueBehindInteractiveCalls() {
        // One permit; an interactive call waits 1 s and ten of them may; a trainer's waits 10 min and three may.
        Calls calls = new Calls(new CallLimiter(new CallLimiter.Settings(1, 0, 1, Duration.ofSeconds(1), 10, 0.5,
                Duration.ofMinutes(10), 3), listener, scheduler, scheduler.nanos::get));
        List<Integer> holder = calls.submitHeld(1, Lane.TRAINER);
        List<Integer> trainers = calls.submitHeld(3, Lane.TRAINER);
        List<Integer> shed = calls.submitHeld(1, Lane.TRAINER);
        List<Integer> interactive = calls.submitHeld(2, Lane.INTERACTIVE);
        List<Integer> batch = calls.submitHeld(1, Lane.BATCH);

        assertThat(calls.started).containsExactly(holder.get(0));
        assertThat(retryAfter(calls.failures.get(shed.get(0)))).isEqualTo(Duration.ofSeconds(1));
        assertThat(calls.limiter.queued(Lane.TRAINER)).isEqualTo(3);
        assertThat(calls.limiter.inFlight(Lane.TRAINER)).isEqualTo(1);

        // The interactive calls give up after their second; the trainers' wait on.
        scheduler.advance(Duration.ofSeconds(1));
        assertThat(calls.failures).containsOnlyKeys(shed.get(0), interactive.get(0), interactive.get(1));
        scheduler.advance(Duration.ofMinutes(9));
        assertThat(calls.failures).hasSize(3);

        // An interactive call that comes goes first; then the trainers' in order; batch lines last.
        List<Integer> late = calls.submitHeld(1, Lane.INTERACTIVE);
        calls.finish(holder.get(0));
        assertThat(calls.started).containsExactly(holder.get(0), late.get(0));
        calls.finish(late.get(0));
        calls.finish(trainers.get(0));
        calls.finish(trainers.get(1));
        assertThat(calls.started).endsWith(trainers.get(0), trainers.get(1), trainers.get(2));
        calls.finish(trainers.get(2));
        assertThat(calls.started).endsWith(batch.get(0));
        assertThat(calls.failures).hasSize(3);
        assertThat(listener.refused).hasValue(3);
    }

    @Test
    void aTrainersCallThatWaitsPastItsOwnWaitIsRefused() {
        Calls calls = new Calls(new CallLimiter(new CallLimiter.Settings(1, 0, 1, Duration.ofSeconds(1), 10, 0.5,
                Duration.ofMinutes(3), 10), listener, scheduler, scheduler.nanos::get));
        calls.submitHeld(1);
        List<Integer> trainer = calls.submitHeld(1, Lane.TRAINER);

        scheduler.advance(Duration.ofSeconds(179));
        assertThat(calls.failures).isEmpty();
        scheduler.advance(Duration.ofSeconds(1));

        assertThat(retryAfter(calls.failures.get(trainer.get(0)))).isEqualTo(Duration.ofSeconds(1));
        assertThat(calls.failures.get(trainer.get(0))).hasMessageContaining("within 180000 ms");
        assertThat(calls.limiter.queued(Lane.TRAINER)).isZero();
    }

    @Test
    void batchLinesKeepToTheirShareWhileTrainersCallsAreAbout() {
        Calls calls = new Calls(lanes(4, 0, 1, 0.5));
        List<Integer> trainer = calls.submitHeld(1, Lane.TRAINER);
        List<Integer> batch = calls.submitHeld(4, Lane.BATCH);

        assertThat(calls.limiter.inFlight(Lane.BATCH)).isEqualTo(2);
        calls.finish(trainer.get(0));
        assertThat(calls.limiter.inFlight(Lane.BATCH)).isEqualTo(4);
        assertThat(calls.started).containsExactly(trainer.get(0), batch.get(0), batch.get(1), batch.get(2),
                batch.get(3));
    }

    private CallLimiter lanes(int maxConcurrency, int requestsPerMinute, int burst, double batchShare) {
        return new CallLimiter(new CallLimiter.Settings(maxConcurrency, requestsPerMinute, burst, LONG_WAIT,
                Integer.MAX_VALUE, batchShare), listener, scheduler, scheduler.nanos::get);
    }

    private CallLimiter limiter(int maxConcurrency, int requestsPerMinute, int burst, Duration maxQueueWait) {
        return new CallLimiter(new CallLimiter.Settings(maxConcurrency, requestsPerMinute, burst, maxQueueWait),
                listener, scheduler, scheduler.nanos::get);
    }

    private static Duration retryAfter(Throwable failure) {
        assertThat(failure).isInstanceOf(BackendException.class);
        BackendException e = (BackendException) failure;
        assertThat(e.kind()).isEqualTo(Kind.RATE_LIMITED);
        assertThat(e.retryAfter()).isPresent();
        return e.retryAfter().get();
    }

    /** Calls numbered in submission order, whose start and end the test sees or decides. */
    private static final class Calls {
        final CallLimiter limiter;
        final List<Integer> started = new ArrayList<>();
        final Map<Integer, UniEmitter<? super String>> emitters = new HashMap<>();
        final Map<Integer, Cancellable> subscriptions = new HashMap<>();
        final Map<Integer, String> items = new HashMap<>();
        final Map<Integer, Throwable> failures = new HashMap<>();
        final List<Integer> cancelled = new ArrayList<>();
        private int next;

        Calls(CallLimiter limiter) {
            this.limiter = limiter;
        }

        /** Calls that end when the test says so. */
        void submitHeld(int count) {
            submitHeld(count, Lane.INTERACTIVE);
        }

        /** Calls of {@code lane} that end when the test says so; their ids in order. */
        List<Integer> submitHeld(int count, Lane lane) {
            List<Integer> ids = new ArrayList<>();
            for (int n = 0; n < count; n++) {
                int id = next++;
                ids.add(id);
                subscribe(id, limiter.run(() -> {
                    started.add(id);
                    return Uni.createFrom().<String>emitter(emitter -> emitters.put(id, emitter))
                            .onCancellation().invoke(() -> cancelled.add(id));
                }, lane));
            }
            return ids;
        }

        /** Calls that end as soon as they start. */
        void submitImmediate(int count) {
            for (int n = 0; n < count; n++) {
                int id = next++;
                subscribe(id, limiter.run(() -> {
                    started.add(id);
                    return Uni.createFrom().item("done-" + id);
                }));
            }
        }

        void finish(int id) {
            assertThat(emitters).as("call %d has started", id).containsKey(id);
            emitters.get(id).complete("done-" + id);
        }

        private void subscribe(int id, Uni<String> uni) {
            subscriptions.put(id,
                    uni.subscribe().with(item -> items.put(id, item), failure -> failures.put(id, failure)));
        }
    }

    private static final class RecordingListener implements CallLimiter.Listener {
        final AtomicInteger granted = new AtomicInteger();
        final AtomicInteger released = new AtomicInteger();
        final AtomicInteger refused = new AtomicInteger();
        final List<Duration> waits = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void granted(Duration waited) {
            granted.incrementAndGet();
            waits.add(waited);
        }

        @Override
        public void released() {
            released.incrementAndGet();
        }

        @Override
        public void refused() {
            refused.incrementAndGet();
        }
    }

}
