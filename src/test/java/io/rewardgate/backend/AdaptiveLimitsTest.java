package io.rewardgate.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.smallrye.mutiny.Uni;

/**
 * The adaptive limits against simulated backends on a movable clock: callers in a closed loop through a
 * {@link CallLimiter}, the backend answering after a delay that depends on its load, every sample and 429 told to
 * the limits as {@link Resilience} tells them. Simulated minutes take milliseconds and no test sleeps.
 */
class AdaptiveLimitsTest {

    private static final long BASE_MILLIS = 100;
    private static final Duration LONG_WAIT = Duration.ofHours(1);

    private final FakeScheduler scheduler = new FakeScheduler();

    @Test
    void theConcurrencyLimitSettlesAboveAHiddenCapacityAndFollowsItDown() {
        Gpu gpu = new Gpu(16);
        Loop loop = new Loop(adaptive(1, 256), gpu, 64);

        loop.run(Duration.ofSeconds(30));
        Window before = loop.window(Duration.ofSeconds(10), Duration.ofSeconds(30));
        gpu.capacity = 8;
        loop.run(Duration.ofSeconds(30));
        Window after = loop.window(Duration.ofSeconds(40), Duration.ofSeconds(60));

        // Latency is flat up to 16 in flight and rises after: any limit from 16 up gets the GPU's 160 calls a
        // second; one below 32 gets no 429. Vegas keeps a few calls queued in the backend. (Now and then it takes a
        // loaded round trip for the unloaded one, its probe, and climbs until the queue or a 429 brings it back.)
        assertThat(loop.meanLimit(Duration.ofSeconds(10), Duration.ofSeconds(30))).isBetween(16.0, 31.0);
        assertThat(before.minLimit).isGreaterThanOrEqualTo(16);
        assertThat(before.perSecond()).isGreaterThanOrEqualTo(0.95 * 16 * 1000 / BASE_MILLIS);
        assertThat(before.refused).isLessThanOrEqualTo(before.answered / 100);
        // At 8, within ten seconds of the change, and from then on.
        assertThat(loop.meanLimit(Duration.ofSeconds(40), Duration.ofSeconds(60))).isBetween(8.0, 16.0);
        assertThat(after.minLimit).isGreaterThanOrEqualTo(8);
        assertThat(after.perSecond()).isGreaterThanOrEqualTo(0.95 * 8 * 1000 / BASE_MILLIS);
        assertThat(after.refused).isLessThanOrEqualTo(after.answered / 100);
        assertThat(gpu.refused).as("429s while the limit came down").isPositive();
    }

    @Test
    void theConcurrencyLimitKeepsWithinItsBounds() {
        Gpu tiny = new Gpu(1);
        Loop low = new Loop(adaptive(4, 256), tiny, 64);
        low.run(Duration.ofSeconds(30));
        assertThat(low.window(Duration.ofSeconds(5), Duration.ofSeconds(30)).minLimit).isEqualTo(4);

        Gpu big = new Gpu(100);
        Loop high = new Loop(adaptive(1, 10), big, 64);
        high.run(Duration.ofSeconds(30));
        Window capped = high.window(Duration.ofSeconds(5), Duration.ofSeconds(30));
        assertThat(capped.minLimit).isEqualTo(10);
        assertThat(capped.maxLimit).isEqualTo(10);
        assertThat(big.peak).isEqualTo(10);
    }

    @Test
    void theRateFindsAHostedLimitOfFortyAMinuteWithFewRefusals() {
        HostedApi api = new HostedApi(40);
        CallLimiter limiter = new CallLimiter(new CallLimiter.Settings(32, 0, 5, LONG_WAIT), true, quiet(),
                scheduler, scheduler.nanos::get);
        // Eight callers, each calling again as soon as its call ends.
        new RateLoop(limiter, api, 8);

        // Every call, answer and retry of ten minutes, in time order.
        scheduler.advance(Duration.ofMinutes(10));

        int calls = api.accepted + api.refused;
        assertThat(api.refused).as("429s of %s calls", calls).isLessThan((int) (0.02 * calls));
        long afterFirstMinute = api.acceptedAt.stream().filter(at -> at >= TimeUnit.MINUTES.toNanos(1)).count();
        assertThat(afterFirstMinute / 9.0).as("accepted a minute after the first").isGreaterThanOrEqualTo(0.95 * 40);
        assertThat(limiter.ratePerMinute()).isBetween(36.0, 42.0);
    }

    @Test
    void aRefusalOfACallLetThroughBeforeTheLastDropChangesNothing() {
        AdaptiveRate rate = new AdaptiveRate(0);
        for (int i = 0; i < 40; i++) {
            rate.taken(TimeUnit.SECONDS.toNanos(i));
        }
        long generation = rate.generation();

        assertThat(rate.rejected(generation, TimeUnit.SECONDS.toNanos(40))).isTrue();
        assertThat(rate.perMinute()).as("0.95 of the 40 let through this minute").isEqualTo(38.0);
        assertThat(rate.rejected(generation, TimeUnit.SECONDS.toNanos(41))).as("an echo").isFalse();
        assertThat(rate.perMinute()).isEqualTo(38.0);
        assertThat(rate.rejected(rate.generation(), TimeUnit.SECONDS.toNanos(42))).isTrue();
        assertThat(rate.perMinute()).isEqualTo(0.95 * 38.0);
    }

    @Test
    void oneEarlyRefusalLeavesAQuarterOfTheRateAtLeast() {
        AdaptiveRate rate = new AdaptiveRate(0);
        rate.taken(0);

        rate.rejected(rate.generation(), TimeUnit.SECONDS.toNanos(1));

        assertThat(rate.perMinute()).isEqualTo(0.95 * AdaptiveRate.START / 4);
    }

    @Test
    void theRateGrowsOnlyWhileCallersWaitForTokens() {
        AdaptiveRate rate = new AdaptiveRate(0);

        rate.limited(TimeUnit.SECONDS.toNanos(30));
        assertThat(rate.perMinute()).as("a wait after a quiet spell counts one second").isCloseTo(
                AdaptiveRate.START * Math.pow(2, 0.1), offset(1e-9));
        for (int second = 31; second <= 40; second++) {
            rate.limited(TimeUnit.SECONDS.toNanos(second));
        }
        assertThat(rate.perMinute()).as("doubled by ten seconds of waiting").isCloseTo(
                AdaptiveRate.START * Math.pow(2, 1.1), offset(1e-9));

        rate.rejected(rate.generation(), TimeUnit.SECONDS.toNanos(41));
        double dropped = rate.perMinute();
        for (int second = 42; second <= 101; second++) {
            rate.limited(TimeUnit.SECONDS.toNanos(second));
        }
        assertThat(rate.perMinute()).as("after a drop, a step a minute").isCloseTo(
                dropped + Math.max(AdaptiveRate.MIN_STEP, AdaptiveRate.PROBE * dropped),
                offset(1e-9));
    }

    @Test
    void aResizedLimiterGivesNewRoomAtOnceAndTakesNoneBackFromCallsInFlight() {
        CallLimiter limiter = new CallLimiter(new CallLimiter.Settings(2, 0, 1, LONG_WAIT), quiet(), scheduler,
                scheduler.nanos::get);
        List<Runnable> ends = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            limiter.run(() -> Uni.createFrom().<String>emitter(emitter -> ends.add(() -> emitter.complete("ok"))))
                    .subscribe().with(item -> {});
        }
        assertThat(ends).hasSize(2);

        limiter.resize(4);
        assertThat(ends).hasSize(4);
        assertThat(limiter.inFlight()).isEqualTo(4);

        limiter.resize(1);
        assertThat(limiter.inFlight()).isEqualTo(4);
        ends.get(0).run();
        ends.get(1).run();
        ends.get(2).run();
        assertThat(ends).as("none starts until fewer than the limit are in flight").hasSize(4);
        ends.get(3).run();
        assertThat(ends).hasSize(5);
        assertThat(limiter.limit()).isEqualTo(1);
    }

    /** A limiter resized by an adaptive limit, as {@link Resilience} wires them. */
    private Adaptive adaptive(int min, int max) {
        AdaptiveConcurrency concurrency = new AdaptiveConcurrency(min, max);
        CallLimiter limiter = new CallLimiter(new CallLimiter.Settings(concurrency.limit(), 0, 1, LONG_WAIT), quiet(),
                scheduler, scheduler.nanos::get);
        concurrency.onChange(limiter::resize);
        return new Adaptive(limiter, concurrency);
    }

    private record Adaptive(CallLimiter limiter, AdaptiveConcurrency concurrency) {}

    private static CallLimiter.Listener quiet() {
        return new QuietListener();
    }

    /** A GPU server: latency flat up to its capacity in flight and rising linearly after; 429 above twice it. */
    private final class Gpu {
        int capacity;
        int inFlight;
        int peak;
        int refused;

        Gpu(int capacity) {
            this.capacity = capacity;
        }

        Uni<String> call() {
            return Uni.createFrom().emitter(emitter -> {
                inFlight++;
                peak = Math.max(peak, inFlight);
                if (inFlight > 2 * capacity) {
                    refused++;
                    scheduler.schedule(() -> {
                        inFlight--;
                        emitter.fail(BackendException.tooMany(null));
                    }, 1, TimeUnit.MILLISECONDS);
                    return;
                }
                long delay = (long) (TimeUnit.MILLISECONDS.toNanos(BASE_MILLIS)
                        * Math.max(1.0, (double) inFlight / capacity));
                scheduler.schedule(() -> {
                    inFlight--;
                    emitter.complete("ok");
                }, delay, TimeUnit.NANOSECONDS);
            });
        }
    }

    /** What the closed loop saw between two instants. */
    private record Window(int minLimit, int maxLimit, int answered, int refused, Duration span) {
        double perSecond() {
            return answered / (span.toNanos() / 1e9);
        }
    }

    /** Callers that each call again as soon as their call ends, a call's outcome sampled as Resilience samples it. */
    private final class Loop {
        final CallLimiter limiter;
        final AdaptiveConcurrency concurrency;
        final Gpu gpu;
        final List<long[]> limits = new ArrayList<>();
        final List<Long> answeredAt = new ArrayList<>();
        final List<Long> refusedAt = new ArrayList<>();
        final long start = scheduler.nanos.get();

        Loop(Adaptive adaptive, Gpu gpu, int callers) {
            this.limiter = adaptive.limiter();
            this.concurrency = adaptive.concurrency();
            this.gpu = gpu;
            for (int i = 0; i < callers; i++) {
                call();
            }
        }

        void call() {
            limiter.run(() -> {
                long start = scheduler.nanos.get();
                int inFlight = limiter.inFlight();
                return gpu.call().onItemOrFailure().invoke((item, failure) -> concurrency.sample(start,
                        scheduler.nanos.get() - start, inFlight, failure != null));
            }).subscribe().with(item -> {
                answeredAt.add(scheduler.nanos.get());
                call();
            }, failure -> {
                refusedAt.add(scheduler.nanos.get());
                // A retry after a short backoff, as Resilience makes one.
                scheduler.schedule(this::call, 50, TimeUnit.MILLISECONDS);
            });
        }

        void run(Duration duration) {
            for (long step = 0; step < duration.toMillis(); step += 100) {
                scheduler.advance(Duration.ofMillis(100));
                limits.add(new long[] {scheduler.nanos.get(), limiter.limit()});
            }
        }

        /** The limit's mean over the samples from {@code from} to {@code to} after the loop started. */
        double meanLimit(Duration from, Duration to) {
            long a = start + from.toNanos();
            long b = start + to.toNanos();
            return limits.stream().filter(sample -> sample[0] > a && sample[0] <= b).mapToLong(sample -> sample[1])
                    .average().orElse(0);
        }

        /** From {@code from} to {@code to} after the loop started. */
        Window window(Duration from, Duration to) {
            long a = start + from.toNanos();
            long b = start + to.toNanos();
            int min = Integer.MAX_VALUE;
            int max = 0;
            for (long[] sample : limits) {
                if (sample[0] > a && sample[0] <= b) {
                    min = Math.min(min, (int) sample[1]);
                    max = Math.max(max, (int) sample[1]);
                }
            }
            return new Window(min, max, (int) answeredAt.stream().filter(t -> t > a && t <= b).count(),
                    (int) refusedAt.stream().filter(t -> t > a && t <= b).count(), to.minus(from));
        }
    }

    /** A hosted API's limit: {@code perMinute} calls in any 60 s, a call past it refused with Retry-After. */
    private final class HostedApi {
        final int perMinute;
        final Deque<Long> window = new ArrayDeque<>();
        final List<Long> acceptedAt = new ArrayList<>();
        int accepted;
        int refused;

        HostedApi(int perMinute) {
            this.perMinute = perMinute;
        }

        Uni<String> call() {
            return Uni.createFrom().emitter(emitter -> {
                long now = scheduler.nanos.get();
                while (!window.isEmpty() && window.peekFirst() <= now - TimeUnit.MINUTES.toNanos(1)) {
                    window.pollFirst();
                }
                if (window.size() >= perMinute) {
                    refused++;
                    long free = window.peekFirst() + TimeUnit.MINUTES.toNanos(1) - now;
                    Duration retryAfter = Duration.ofSeconds(Math.max(1, (free + 999_999_999) / 1_000_000_000));
                    emitter.fail(BackendException.tooMany(retryAfter));
                    return;
                }
                window.addLast(now);
                accepted++;
                acceptedAt.add(now);
                scheduler.schedule(() -> emitter.complete("ok"), 200, TimeUnit.MILLISECONDS);
            });
        }
    }

    /** Callers in a closed loop against a rate limit: a 429 drops the limiter's rate, the call is retried after it. */
    private final class RateLoop {
        final CallLimiter limiter;
        final HostedApi api;

        RateLoop(CallLimiter limiter, HostedApi api, int callers) {
            this.limiter = limiter;
            this.api = api;
            for (int i = 0; i < callers; i++) {
                call();
            }
        }

        void call() {
            limiter.run(() -> {
                long generation = limiter.rateGeneration();
                return api.call().onFailure().invoke(failure -> limiter.rejected(generation,
                        ((BackendException) failure).retryAfter().orElse(Duration.ZERO)));
            }).subscribe().with(item -> call(), failure -> {
                Duration retryAfter = ((BackendException) failure).retryAfter().orElse(Duration.ofSeconds(1));
                scheduler.schedule(this::call, retryAfter.toNanos(), TimeUnit.NANOSECONDS);
            });
        }
    }
}
