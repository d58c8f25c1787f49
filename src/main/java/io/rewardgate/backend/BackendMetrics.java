package io.rewardgate.backend;

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.DoubleSupplier;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.rewardgate.backend.BackendException;
import io.rewardgate.backend.CallLimiter;
import io.rewardgate.backend.Lane;
import io.rewardgate.observability.MetricNames;

/** The backend meters of one model, each tagged {@code model} with its configured id. */
public final class BackendMetrics implements CallLimiter.Listener {

    private final MeterRegistry registry;
    private final String backend;
    private final Tags model;
    private final AtomicInteger inflight = new AtomicInteger();
    private final Timer permitWait;
    private final Counter refused;
    private final Counter retries;
    private final Map<BackendException.Kind, Counter> failures = new EnumMap<>(BackendException.Kind.class);
    private final Map<String, Timer> calls = new ConcurrentHashMap<>();

    public BackendMetrics(MeterRegistry registry, String backend, String model) {
        this.registry = registry;
        this.backend = backend;
        this.model = Tags.of("model", model);
        this.permitWait = Timer.builder(MetricNames.BACKEND_PERMIT_WAIT)
                .description("Wait for a backend permit and a token of the budget")
                .tags(this.model)
                .publishPercentileHistogram()
                .register(registry);
        this.refused = Counter.builder(MetricNames.BACKEND_REFUSED)
                .description("Backend calls refused: no permit within the queue wait")
                .tags(this.model)
                .register(registry);
        this.retries = Counter.builder(MetricNames.BACKEND_RETRIES)
                .description("Backend attempts retried")
                .tags(this.model)
                .register(registry);
        Gauge.builder(MetricNames.BACKEND_INFLIGHT, inflight, AtomicInteger::get)
                .description("Backend calls in flight")
                .tags(this.model)
                .register(registry);
        // Every kind from the start, at zero: an error-ratio alert then reads 0, not "no data".
        for (BackendException.Kind kind : BackendException.Kind.values()) {
            if (kind == BackendException.Kind.ABANDONED) {
                // A call not made is no failure of the backend's.
                continue;
            }
            failures.put(kind, Counter.builder(MetricNames.BACKEND_FAILURES)
                    .description("Failed backend attempts by kind")
                    .tags(this.model)
                    .tag("kind", kind.name().toLowerCase(Locale.ROOT))
                    .register(registry));
        }
    }

    /** Exposes the circuit's state, read through {@code state} (a state's name). */
    public void watchCircuit(Supplier<String> state) {
        for (String name : List.of("CLOSED", "OPEN", "HALF_OPEN")) {
            Gauge.builder(MetricNames.BACKEND_CIRCUIT, () -> name.equals(state.get()) ? 1 : 0)
                    .description("1 for the backend circuit's current state")
                    .tags(model)
                    .tag("state", name.toLowerCase(Locale.ROOT))
                    .register(registry);
        }
    }

    /** Exposes how many calls wait for this limiter, and how many calls of each lane hold or wait for a permit. */
    public void watch(CallLimiter limiter) {
        Gauge.builder(MetricNames.BACKEND_QUEUED, limiter, CallLimiter::queued)
                .description("Interactive backend calls waiting for a permit")
                .tags(model)
                .register(registry);
        for (Lane lane : Lane.values()) {
            String name = lane.name().toLowerCase(Locale.ROOT);
            Gauge.builder(MetricNames.BACKEND_LANE_INFLIGHT, limiter, l -> l.inFlight(lane))
                    .description("Backend calls holding a permit, by lane")
                    .tags(model)
                    .tag("lane", name)
                    .register(registry);
            Gauge.builder(MetricNames.BACKEND_LANE_QUEUED, limiter, l -> l.queued(lane))
                    .description("Backend calls waiting for a permit or a token, by lane")
                    .tags(model)
                    .tag("lane", name)
                    .register(registry);
        }
    }

    /** Exposes the concurrency limit and the request budget's rate as they are now. */
    public void watchLimits(IntSupplier limit, DoubleSupplier perMinute) {
        Gauge.builder(MetricNames.BACKEND_LIMIT, limit::getAsInt)
                .description("Backend calls allowed in flight at once, fixed or found by max-concurrency=auto")
                .tags(model)
                .register(registry);
        Gauge.builder(MetricNames.BACKEND_RATE_LIMIT, perMinute::getAsDouble)
                .description("Backend calls allowed a minute (0: no budget), fixed or by requests-per-minute=auto")
                .tags(model)
                .register(registry);
    }

    /** One failed backend attempt, by the failure's kind. */
    public void failure(BackendException.Kind kind) {
        Counter counter = failures.get(kind);
        if (counter != null) {
            counter.increment();
        }
    }

    public void retry() {
        retries.increment();
    }

    @Override
    public void granted(Duration waited) {
        inflight.incrementAndGet();
        permitWait.record(waited);
    }

    @Override
    public void released() {
        inflight.decrementAndGet();
    }

    @Override
    public void refused() {
        refused.increment();
    }

    /** One backend call as the scoring path saw it, waits included: {@code failure} is {@code null} on success. */
    public void call(Duration elapsed, Throwable failure) {
        String outcome = outcome(failure);
        calls.computeIfAbsent(outcome, k -> Timer.builder(MetricNames.BACKEND_CALLS)
                        .description("Backend calls by outcome")
                        .tags(model)
                        .tag("backend", backend)
                        .tag("outcome", outcome)
                        .publishPercentileHistogram()
                        .register(registry))
                .record(elapsed);
    }

    private static String outcome(Throwable failure) {
        if (failure == null) {
            return "success";
        }
        if (failure instanceof BackendException e) {
            return switch (e.kind()) {
                case TIMEOUT -> "timeout";
                case RATE_LIMITED, CIRCUIT_OPEN -> "rejected";
                default -> "error";
            };
        }
        return "error";
    }
}
