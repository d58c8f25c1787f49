package io.rewardgate.backend;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;
import java.util.function.LongFunction;

import jakarta.enterprise.util.TypeLiteral;

import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.rewardgate.backend.BackendException.Kind;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import io.smallrye.faulttolerance.api.TypedGuard;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.smallrye.mutiny.subscription.Cancellable;

/**
 * What stands between a model's callers and its backend's wire. A call passes the circuit breaker (fails fast
 * while the backend is down), then makes its attempts: each one takes a permit of the limiter (the concurrency
 * cap and request budget shared by every caller of this model), makes the call with its timeout and types its
 * failure; failures that may pass are retried with exponential backoff and jitter, never beyond a deadline of
 * {@code timeout x retry.deadline-factor}.
 *
 * <p>The breaker counts what the caller gets, after retries, not each attempt: retries exist to absorb
 * transient errors, and counting the attempts they make would let a backend that fails a third of its calls
 * open the circuit for everyone. Once the circuit is open, calls still retrying give up.
 *
 * <p>Retries are written with Mutiny rather than with the fault-tolerance retry, which cannot take the
 * backend's {@code Retry-After} as the floor of its delay.
 *
 * <p>Each wire call's round trip and outcome feed the adaptive limits, when the model has them: its concurrency
 * limit ({@code max-concurrency=auto}) learns from every answer, a refusal as too many and a timeout counting as
 * drops; its request rate ({@code requests-per-minute=auto}) drops on the backend's 429. Other failures (a bad
 * conversation, a refused connection) say nothing of the backend's load and are not counted.
 *
 * <p>Each attempt is a span, a child of the caller's request span, and the parent of the REST client's span
 * for the wire call, so that the backend's {@code traceparent} names it.
 */
public final class Resilience {

    /** Which attempt of the call, from 1. */
    static final AttributeKey<Long> ATTEMPT = AttributeKey.longKey("rewardgate.attempt");
    /** {@code ok}, or the kind of failure in lower case ({@code unavailable}, {@code timeout}, ...). */
    static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("rewardgate.outcome");
    /** The wait before a retry, in milliseconds: the backoff, at least the backend's Retry-After. */
    static final AttributeKey<Long> WAITED = AttributeKey.longKey("rewardgate.backoff_ms");
    /** The Retry-After the backend sent with a failure, in milliseconds. */
    static final AttributeKey<Long> RETRY_AFTER = AttributeKey.longKey("rewardgate.retry_after_ms");
    static final String ATTEMPT_SPAN = "backend attempt";

    private final BackendSettings settings;
    private final BackendMetrics metrics;
    private final CallLimiter limiter;
    /** The limiter's own settings, whose queue wait by lane the shared budget's wait follows too. */
    private final CallLimiter.Settings limits;
    private final TypedGuard<Uni<String>> breaker;
    private final SharedBudget budget;
    /** The adaptive concurrency limit; {@code null} for a fixed one. */
    private final AdaptiveConcurrency concurrency;
    private final Tracer tracer;
    /** When the circuit last opened ({@link System#nanoTime()}), for the time left until its probe. */
    private volatile long openedAt;

    /** @param redis the Redis client holding the budget every replica shares; {@code null} for a budget of its own */
    public Resilience(BackendSettings settings, BackendMetrics metrics, ReactiveRedisDataSource redis, int replicas,
            Duration redisTimeout, Tracer tracer) {
        this.settings = settings;
        this.metrics = metrics;
        this.tracer = tracer;
        // With Redis, the budget is shared by every replica; the local limiter keeps the cap only.
        boolean shared = redis != null && settings.budgeted();
        this.budget = shared
                ? new SharedBudget(redis, settings.budgetKey(), settings.requestsPerMinute(), settings.burst(),
                        settings.batchShare(), replicas, redisTimeout, settings.maxQueueWait(),
                        settings.trainerQueueWait(), metrics,
                        Infrastructure.getDefaultWorkerPool())
                : null;
        this.concurrency = settings.maxConcurrency().auto()
                ? new AdaptiveConcurrency(settings.minConcurrency(), settings.maxConcurrencyLimit())
                : null;
        Tunable rate = settings.requestsPerMinute();
        int permits = concurrency != null ? concurrency.limit() : settings.maxConcurrency().value();
        this.limits = new CallLimiter.Settings(permits, shared || rate.auto() ? 0 : rate.value(), settings.burst(),
                settings.maxQueueWait(), settings.maxQueue(), settings.batchShare(), settings.trainerQueueWait(),
                settings.trainerMaxQueue());
        this.limiter = new CallLimiter(limits, rate.auto() && !shared, metrics, Infrastructure.getDefaultWorkerPool(),
                System::nanoTime);
        if (concurrency != null) {
            concurrency.onChange(limiter::resize);
        }
        metrics.watch(limiter);
        metrics.watchLimits(limiter::limit, shared ? budget::perMinute : limiter::ratePerMinute);
        BackendSettings.Breaker circuit = settings.breaker();
        this.breaker = TypedGuard.create(new TypeLiteral<Uni<String>>() {})
                .withCircuitBreaker()
                .name(settings.model())
                .requestVolumeThreshold(circuit.requestVolumeThreshold())
                .failureRatio(circuit.failureRatio())
                .delay(circuit.delay().toMillis(), ChronoUnit.MILLIS)
                .successThreshold(1)
                .when(failure -> failure instanceof BackendException typed && typed.transientFailure())
                .onStateChange(state -> {
                    if (state == CircuitBreakerState.OPEN) {
                        openedAt = System.nanoTime();
                    }
                    Log.warnf("The circuit of model %s is now %s", settings.model(), state);
                })
                .done()
                .build();
        metrics.watchCircuit(() -> state().name());
    }

    /** The circuit's state; its breaker is named after the model. */
    public CircuitBreakerState state() {
        return CircuitBreakerMaintenance.get().currentState(settings.model());
    }

    /** Why calls are held back now, or {@code null}. */
    public String holdReason() {
        if (state() == CircuitBreakerState.OPEN) {
            return "The backend's circuit is open after repeated failures; a probe call goes through within "
                    + RetryAfter.headerSeconds(untilProbe()) + "s.";
        }
        return null;
    }

    /**
     * The wire call with everything around it.
     *
     * @param lane whose call it is: a batch line yields to interactive callers
     * @param call one attempt, given its timeout in milliseconds; fails with a {@link BackendException} or a
     *     transport failure (typed here as the backend being unreachable)
     */
    public Uni<String> call(Lane lane, LongFunction<Uni<String>> call) {
        return call(lane, () -> true, call);
    }

    /**
     * The wire call with everything around it, made only while {@code wanted} says yes when a permit and a token
     * are had: otherwise it fails at once as {@link Kind#ABANDONED}, which is neither retried nor counted.
     */
    public Uni<String> call(Lane lane, BooleanSupplier wanted, LongFunction<Uni<String>> call) {
        Context caller = Context.current();
        return breaker.get(() -> attempt(call, lane, wanted, 0, null, Duration.ZERO, new Deadline(), caller))
                .onFailure(CircuitBreakerOpenException.class).transform(open -> {
                    metrics.failure(Kind.CIRCUIT_OPEN);
                    return new BackendException(Kind.CIRCUIT_OPEN,
                            "The backend failed repeatedly; calls are held back until a probe call succeeds.",
                            untilProbe(), open);
                });
    }

    /**
     * One attempt and, when it fails in a way that may pass, the retries after it.
     *
     * @param previous the failure that made this attempt a retry; {@code null} for the first attempt
     * @param waited how long this retry waited after it
     * @param caller the trace context of the call, which retries on timer threads no longer have as current
     */
    private Uni<String> attempt(LongFunction<Uni<String>> call, Lane lane, BooleanSupplier wanted, int retries,
            BackendException previous, Duration waited, Deadline deadline, Context caller) {
        return Uni.createFrom().deferred(() -> {
                    Span span = tracer.spanBuilder(ATTEMPT_SPAN)
                            .setParent(caller)
                            .setAttribute(ATTEMPT, retries + 1L)
                            .startSpan();
                    if (previous != null) {
                        span.setAttribute(WAITED, waited.toMillis());
                    }
                    Context attempt = caller.with(span);
                    return limiter.run(() -> wanted.getAsBoolean()
                                    ? budgeted(wire -> within(attempt, call, wire), lane, wanted, deadline)
                                    : Uni.createFrom().<String>failure(BackendException.abandoned()), lane)
                            .onFailure().transform(this::typed)
                            .onItemOrFailure().invoke((item, failure) -> end(span, (BackendException) failure));
                })
                .onFailure().recoverWithUni(failure -> {
                    BackendException typed = (BackendException) failure;
                    if (typed.kind() == Kind.ABANDONED) {
                        return Uni.createFrom().failure(typed);
                    }
                    metrics.failure(typed.kind());
                    if (typed.kind() == Kind.RATE_LIMITED && previous != null) {
                        // A retry our own limits held back: the caller learns why the backend was retried.
                        return Uni.createFrom().failure(previous);
                    }
                    Duration backoff = backoff(retries, typed);
                    boolean retry = typed.transientFailure() && retries < settings.retry().maxRetries()
                            && deadline.left() > backoff.toNanos() && state() != CircuitBreakerState.OPEN;
                    if (!retry) {
                        return Uni.createFrom().failure(typed);
                    }
                    metrics.retry();
                    return Uni.createFrom().voidItem().onItem().delayIt().by(backoff)
                            .flatMap(ignored -> attempt(call, lane, wanted, retries + 1, typed, backoff, deadline,
                                    caller));
                });
    }

    /**
     * The wire call subscribed with the attempt's span as the current context: the REST client's tracing filter
     * runs on subscription and takes the current context as its span's parent.
     */
    private static Uni<String> within(Context attempt, LongFunction<Uni<String>> call, long timeoutMillis) {
        return Uni.createFrom().emitter(emitter -> {
            Cancellable subscription;
            try (Scope ignored = attempt.makeCurrent()) {
                subscription = call.apply(timeoutMillis).subscribe().with(emitter::complete, emitter::fail);
            }
            emitter.onTermination(subscription::cancel);
        });
    }

    private static void end(Span span, BackendException failure) {
        if (failure == null) {
            span.setAttribute(OUTCOME, "ok");
        } else {
            span.setAttribute(OUTCOME, failure.kind().name().toLowerCase(Locale.ROOT));
            failure.retryAfter().ifPresent(after -> span.setAttribute(RETRY_AFTER, after.toMillis()));
            span.setStatus(StatusCode.ERROR, failure.getMessage());
        }
        span.end();
    }

    /** What is left of the circuit's open delay: the probe call goes through after it. */
    private Duration untilProbe() {
        long left = settings.breaker().delay().toNanos() - (System.nanoTime() - openedAt);
        return Duration.ofNanos(Math.max(0, left));
    }

    /** The call, once the shared budget (when there is one) has a token for it. */
    private Uni<String> budgeted(LongFunction<Uni<String>> call, Lane lane, BooleanSupplier wanted,
            Deadline deadline) {
        if (budget == null) {
            return timed(call, deadline, limiter.rateGeneration());
        }
        // A token is waited for as a permit is: a batch line as long as it takes, a caller its lane's wait.
        long until = lane == Lane.BATCH ? Long.MAX_VALUE : System.nanoTime() + limits.queueWait(lane).toNanos();
        return budget.take(until, lane).flatMap(generation -> wanted.getAsBoolean()
                ? timed(call, deadline, generation)
                : Uni.createFrom().failure(BackendException.abandoned()));
    }

    /**
     * One call, timed out at the earlier of the call's own timeout and what is left of the deadline (in whole
     * milliseconds: the timers refuse less), its answer told to the adaptive limits.
     *
     * @param generation the adaptive rate's generation its token came under
     */
    private Uni<String> timed(LongFunction<Uni<String>> call, Deadline deadline, long generation) {
        long left = Math.min(settings.timeout().toMillis(), deadline.start() / 1_000_000);
        if (left < 1) {
            return Uni.createFrom().failure(timedOut());
        }
        long start = System.nanoTime();
        // Only the adaptive limit reads it: the count takes the limiter's lock.
        int inFlight = concurrency != null ? limiter.inFlight() : 0;
        return call.apply(left).ifNoItem().after(Duration.ofMillis(left)).failWith(this::timedOut)
                .onItemOrFailure().invoke((item, failure) -> learn(start, inFlight, generation, failure));
    }

    /** Tells the adaptive limits how a call went; failures that say nothing of the backend's load are left out. */
    private void learn(long start, int inFlight, long generation, Throwable failure) {
        // A transport failure (no answer at all) is left out with the rest.
        BackendException typed = failure instanceof BackendException e ? e : null;
        if (failure != null && typed == null) {
            return;
        }
        boolean tooMany = typed != null && typed.tooMany();
        if (concurrency != null && (typed == null || tooMany || typed.kind() == Kind.TIMEOUT)) {
            concurrency.sample(start, System.nanoTime() - start, inFlight, typed != null);
        }
        if (tooMany) {
            Duration retryAfter = typed.retryAfter().orElse(Duration.ZERO);
            if (budget != null) {
                budget.rejected(generation, retryAfter).subscribe().with(ignored -> {});
            } else {
                limiter.rejected(generation, retryAfter);
            }
        }
    }

    /**
     * When a call and its retries must be done: {@code timeout x retry.deadline-factor} after the first
     * attempt starts, so that a wait for the first permit (bounded by max-queue-wait) does not eat into it.
     */
    private final class Deadline {
        private volatile long at;

        /** Starts the clock on the first call; nanoseconds left. */
        long start() {
            if (at == 0) {
                at = System.nanoTime() + span();
            }
            return left();
        }

        /** Nanoseconds left; the whole span before the first call. */
        long left() {
            return at == 0 ? span() : at - System.nanoTime();
        }

        private long span() {
            return (long) (settings.timeout().toNanos() * settings.retry().deadlineFactor());
        }
    }

    /**
     * Exponential backoff with jitter; the backend's {@code Retry-After}, when it sent one, is the floor, and
     * {@code retry.max-backoff} the ceiling of both.
     */
    Duration backoff(int retries, BackendException failure) {
        BackendSettings.Retry retry = settings.retry();
        double exponential = retry.initialBackoff().toNanos() * Math.pow(2, retries);
        double jittered = exponential * (1 - retry.jitter() * ThreadLocalRandom.current().nextDouble());
        long nanos = (long) Math.min(jittered, retry.maxBackoff().toNanos());
        long floor = failure.retryAfter().map(Duration::toNanos).orElse(0L);
        return Duration.ofNanos(Math.min(Math.max(nanos, floor), retry.maxBackoff().toNanos()));
    }

    private BackendException timedOut() {
        long millis = settings.timeout().toMillis();
        String timeout = millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
        return new BackendException(Kind.TIMEOUT, "The backend did not answer within " + timeout + ".");
    }

    /** Every failure as one of ours: transport failures are the backend being unreachable. */
    private Throwable typed(Throwable failure) {
        if (failure instanceof BackendException) {
            return failure;
        }
        Log.debugf(failure, "The backend of model %s is unreachable", settings.model());
        return new BackendException(Kind.UNAVAILABLE, "The backend could not be reached.", null, failure);
    }
}
