package io.rewardgate.backend.nvidia;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.util.TypeLiteral;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.HttpHeaders;

import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.jboss.resteasy.reactive.client.api.QuarkusRestClientProperties;

import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.rewardgate.backend.BackendException;
import io.rewardgate.backend.BackendException.Kind;
import io.rewardgate.backend.CallLimiter;
import io.rewardgate.backend.ClusterConfig;
import io.rewardgate.backend.Lane;
import io.rewardgate.backend.RetryAfter;
import io.rewardgate.backend.RewardBackend;
import io.rewardgate.backend.SharedBudget;
import io.rewardgate.cache.CacheConfig;
import io.rewardgate.observability.ScoringMetrics;
import io.rewardgate.scoring.Conversation;
import io.rewardgate.scoring.RawScores;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import io.smallrye.faulttolerance.api.TypedGuard;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * NVIDIA's hosted reward API, or any server speaking it. This bean owns everything around the wire
 * ({@link NvidiaClient}), which stays a plain description of the HTTP call. A scoring call passes the circuit
 * breaker (fails fast while the backend is down), then makes its attempts: each one takes a permit of the
 * limiter (the concurrency cap and request budget shared by every caller), makes the call with its timeout
 * and types its failure; failures that may pass are retried with exponential backoff and jitter, never
 * beyond a deadline of {@code timeout x retry.deadline-factor}.
 *
 * <p>The breaker counts what the caller gets, after retries, not each attempt: retries exist to absorb
 * transient errors, and counting the attempts they make would let a backend that fails a third of its calls
 * open the circuit for everyone. Once the circuit is open, calls still retrying give up.
 *
 * <p>Retries are written with Mutiny rather than with the fault-tolerance retry, which cannot take the
 * backend's {@code Retry-After} as the floor of its delay.
 */
@ApplicationScoped
@Identifier("nvidia")
public class NvidiaBackend implements RewardBackend {

    /** The circuit breaker's name, for health checks, metrics and tests. */
    public static final String CIRCUIT = "nvidia";

    static final String NO_KEY =
            "No API key is configured for the nvidia backend: set REWARDGATE_NVIDIA_API_KEY or NVIDIA_API_KEY.";

    private final NvidiaConfig config;
    private final ScoringMetrics metrics;
    private final NvidiaClient client;
    private final CallLimiter limiter;
    private final TypedGuard<Uni<String>> breaker;
    private final SharedBudget budget;
    /** When the circuit last opened ({@link System#nanoTime()}), for the time left until its probe. */
    private volatile long openedAt;

    @Inject
    public NvidiaBackend(NvidiaConfig config, ScoringMetrics metrics, CacheConfig cache, ClusterConfig cluster,
            Instance<ReactiveRedisDataSource> redis) {
        this.config = config;
        this.metrics = metrics;
        // With Redis, the budget is the key's, shared by every replica; the local limiter keeps the cap only.
        boolean shared = cache.redis().enabled() && config.requestsPerMinute() > 0;
        this.budget = shared
                ? new SharedBudget(redis.get(), "rewardgate:v1:budget:" + keyId(config), config.requestsPerMinute(),
                        config.burst(), config.batchShare(), cluster.replicas(), cache.redis().timeout(), config.maxQueueWait(), metrics,
                        Infrastructure.getDefaultWorkerPool())
                : null;
        this.limiter = new CallLimiter(
                new CallLimiter.Settings(config.maxConcurrency(), shared ? 0 : config.requestsPerMinute(),
                        config.burst(), config.maxQueueWait(), config.maxQueue(), config.batchShare()),
                metrics, Infrastructure.getDefaultWorkerPool(), System::nanoTime);
        metrics.watch(limiter);
        NvidiaConfig.CircuitBreaker circuit = config.circuitBreaker();
        this.breaker = TypedGuard.create(new TypeLiteral<Uni<String>>() {})
                .withCircuitBreaker()
                .name(CIRCUIT)
                .requestVolumeThreshold(circuit.requestVolumeThreshold())
                .failureRatio(circuit.failureRatio())
                .delay(circuit.delay().toMillis(), ChronoUnit.MILLIS)
                .successThreshold(1)
                .when(failure -> failure instanceof BackendException typed && typed.transientFailure())
                .onStateChange(state -> {
                    if (state == CircuitBreakerState.OPEN) {
                        openedAt = System.nanoTime();
                    }
                    Log.warnf("The nvidia backend's circuit is now %s", state);
                })
                .done()
                .build();
        metrics.watchCircuit(() -> CircuitBreakerMaintenance.get().currentState(CIRCUIT).name());
        // Built here rather than injected so that every setting comes from rewardgate.nvidia.*. The read
        // timeout is a backstop behind our own, which types the failure; the pool holds a connection for
        // every call the limiter lets through (the client's default of 50 would cap it lower).
        this.client = QuarkusRestClientBuilder.newBuilder()
                .baseUri(URI.create(config.baseUrl()))
                .connectTimeout(config.connectTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(config.timeout().toMillis() + 5_000, TimeUnit.MILLISECONDS)
                .property(QuarkusRestClientProperties.CONNECTION_POOL_SIZE, config.maxConcurrency())
                // Traffic logging (quarkus.rest-client.logging.scope) must never print the key.
                .loggingMaskedHeaders(Set.of(HttpHeaders.AUTHORIZATION))
                .build(NvidiaClient.class);
    }

    @Override
    public String id() {
        return "nvidia";
    }

    @Override
    public String model() {
        return config.model();
    }

    @Override
    public List<String> attributes() {
        return config.attributes();
    }

    @Override
    public String unusableReason() {
        if (!hasKey()) {
            return NO_KEY;
        }
        if (CircuitBreakerMaintenance.get().currentState(CIRCUIT) == CircuitBreakerState.OPEN) {
            return "The backend's circuit is open after repeated failures; a probe call goes through within "
                    + RetryAfter.headerSeconds(untilProbe()) + "s.";
        }
        return null;
    }

    @Override
    public Uni<RawScores> score(Conversation conversation, Lane lane) {
        if (!hasKey()) {
            return Uni.createFrom().failure(new BackendException(Kind.AUTH, NO_KEY));
        }
        String authorization = "Bearer " + config.apiKey().orElseThrow().strip();
        ChatRequest request = ChatRequest.of(config.model(), conversation);
        return breaker.get(() -> attempt(authorization, request, lane, 0, null, new Deadline()))
                .onFailure(CircuitBreakerOpenException.class).transform(open -> {
                    metrics.backendFailure(Kind.CIRCUIT_OPEN);
                    return new BackendException(Kind.CIRCUIT_OPEN,
                            "The backend failed repeatedly; calls are held back until a probe call succeeds.",
                            untilProbe(), open);
                })
                .map(NvidiaResponseParser::parse)
                .invoke(this::requireExpectedAttributes);
    }

    /**
     * One attempt and, when it fails in a way that may pass, the retries after it.
     *
     * @param previous the failure that made this attempt a retry; {@code null} for the first attempt
     */
    private Uni<String> attempt(String authorization, ChatRequest request, Lane lane, int retries,
            BackendException previous, Deadline deadline) {
        return limiter.run(() -> budgeted(authorization, request, lane, deadline), lane)
                .onFailure().transform(this::typed)
                .onFailure().recoverWithUni(failure -> {
                    BackendException typed = (BackendException) failure;
                    metrics.backendFailure(typed.kind());
                    if (typed.kind() == Kind.RATE_LIMITED && previous != null) {
                        // A retry our own limits held back: the caller learns why the backend was retried.
                        return Uni.createFrom().failure(previous);
                    }
                    Duration backoff = backoff(retries, typed);
                    boolean retry = typed.transientFailure() && retries < config.retry().maxRetries()
                            && deadline.left() > backoff.toNanos() && !circuitOpen();
                    if (!retry) {
                        return Uni.createFrom().failure(typed);
                    }
                    metrics.backendRetry();
                    return Uni.createFrom().voidItem().onItem().delayIt().by(backoff)
                            .flatMap(ignored -> attempt(authorization, request, lane, retries + 1, typed, deadline));
                });
    }

    private static boolean circuitOpen() {
        return CircuitBreakerMaintenance.get().currentState(CIRCUIT) == CircuitBreakerState.OPEN;
    }

    /** What is left of the circuit's open delay: the probe call goes through after it. */
    private Duration untilProbe() {
        long left = config.circuitBreaker().delay().toNanos() - (System.nanoTime() - openedAt);
        return Duration.ofNanos(Math.max(0, left));
    }

    /** The call, once the shared budget (when there is one) has a token for it. */
    private Uni<String> budgeted(String authorization, ChatRequest request, Lane lane, Deadline deadline) {
        if (budget == null) {
            return call(authorization, request, deadline);
        }
        // A batch line waits for its token as long as it takes, as it does for a permit; a caller does not.
        long until = lane == Lane.BATCH ? Long.MAX_VALUE : System.nanoTime() + config.maxQueueWait().toNanos();
        return budget.take(until, lane)
                .flatMap(ignored -> call(authorization, request, deadline));
    }

    /** Names the shared budget after the backend key without showing it: replicas with one key share one. */
    private static String keyId(NvidiaConfig config) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(config.apiKey().orElse("").strip().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /**
     * One call, timed out at the earlier of the call's own timeout and what is left of the deadline (in whole
     * milliseconds: the timers refuse less).
     */
    private Uni<String> call(String authorization, ChatRequest request, Deadline deadline) {
        long left = Math.min(config.timeout().toMillis(), deadline.start() / 1_000_000);
        if (left < 1) {
            return Uni.createFrom().failure(timedOut());
        }
        return client.complete(authorization, request)
                .ifNoItem().after(Duration.ofMillis(left)).failWith(this::timedOut);
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
                at = System.nanoTime() + (long) (config.timeout().toNanos() * config.retry().deadlineFactor());
            }
            return left();
        }

        /** Nanoseconds left; the whole span before the first call. */
        long left() {
            return at == 0
                    ? (long) (config.timeout().toNanos() * config.retry().deadlineFactor())
                    : at - System.nanoTime();
        }
    }

    /**
     * Exponential backoff with jitter; the backend's {@code Retry-After}, when it sent one, is the floor, and
     * {@code retry.max-backoff} the ceiling of both.
     */
    Duration backoff(int retries, BackendException failure) {
        NvidiaConfig.Retry retry = config.retry();
        double exponential = retry.initialBackoff().toNanos() * Math.pow(2, retries);
        double jittered = exponential * (1 - retry.jitter() * ThreadLocalRandom.current().nextDouble());
        long nanos = (long) Math.min(jittered, retry.maxBackoff().toNanos());
        long floor = failure.retryAfter().map(Duration::toNanos).orElse(0L);
        return Duration.ofNanos(Math.min(Math.max(nanos, floor), retry.maxBackoff().toNanos()));
    }

    private BackendException timedOut() {
        long millis = config.timeout().toMillis();
        String timeout = millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
        return new BackendException(Kind.TIMEOUT, "The backend did not answer within " + timeout + ".");
    }

    private boolean hasKey() {
        return config.apiKey().filter(key -> !key.isBlank()).isPresent();
    }

    private void requireExpectedAttributes(RawScores scores) {
        for (String attribute : config.attributes()) {
            if (!scores.names().contains(attribute)) {
                throw NvidiaResponseParser.unusable("attribute '" + attribute + "' is missing");
            }
        }
    }

    /** Every failure as one of ours: transport failures are the backend being unreachable. */
    private Throwable typed(Throwable failure) {
        if (failure instanceof BackendException) {
            return failure;
        }
        Log.debugf(failure, "nvidia backend unreachable");
        return new BackendException(Kind.UNAVAILABLE, "The backend could not be reached.", null, failure);
    }
}
