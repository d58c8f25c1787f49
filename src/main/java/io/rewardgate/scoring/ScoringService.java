package io.rewardgate.scoring;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.quarkus.logging.Log;
import io.rewardgate.backend.BackendException;
import io.rewardgate.backend.Lane;
import io.rewardgate.backend.RewardBackend;
import io.rewardgate.cache.CacheKey;
import io.rewardgate.cache.ScoreCache;
import io.rewardgate.observability.ScoringMetrics;
import io.smallrye.mutiny.Uni;

/**
 * The one scoring path behind every endpoint: cache (with single-flight) in front of the backend, then
 * normalization and weighting of the raw scores for this request.
 */
@ApplicationScoped
public class ScoringService {

    private final RewardBackend backend;
    private final ScoreCache cache;
    private final Normalizer normalizer;
    private final ScoringMetrics metrics;

    @Inject
    public ScoringService(RewardBackend backend, ScoreCache cache, Normalizer normalizer, ScoringMetrics metrics) {
        this.backend = backend;
        this.cache = cache;
        this.normalizer = normalizer;
        this.metrics = metrics;
    }

    /**
     * Scores the conversation's last assistant turn.
     *
     * @param weightOverrides weights that replace the configured ones for this request; may be {@code null}
     */
    public Uni<Score> score(Conversation conversation, Map<String, Double> weightOverrides) {
        return score(conversation, weightOverrides, Lane.INTERACTIVE);
    }

    /**
     * Scores the conversation's last assistant turn; a backend call it needs is made in {@code lane}.
     *
     * @param weightOverrides weights that replace the configured ones for this request; may be {@code null}
     */
    public Uni<Score> score(Conversation conversation, Map<String, Double> weightOverrides, Lane lane) {
        Weights weights = normalizer.defaultWeights().overriddenBy(weightOverrides);
        return Uni.createFrom().deferred(() -> {
            CacheKey key = CacheKey.of(backend.id(), backend.model(), conversation);
            ScoreCache.Lookup lookup = cache.get(key, () -> callBackend(conversation, lane));
            metrics.cacheLookup(lookup.outcome());
            return lookup.found().map(found -> new Score(backend.id(), backend.model(), found.scores(),
                    normalizer.evaluate(found.scores(), weights), found.outcome()));
        });
    }

    /** The model the backend scores with, as clients name it. */
    public String model() {
        return backend.model();
    }

    /** The attributes a request may weight: those the backend reports. */
    public List<String> attributes() {
        return backend.attributes();
    }

    /** Whether these overrides leave every weight of the backend's attributes at zero. */
    public boolean allWeightsZero(Map<String, Double> weightOverrides) {
        Weights weights = normalizer.defaultWeights().overriddenBy(weightOverrides);
        return normalizer.rewardBounds(backend.attributes(), weights).degenerate();
    }

    /** Refusals by our own limits come by the thousand under overload: counted in metrics, logged at debug. */
    private void log(Throwable failure) {
        if (failure instanceof BackendException typed) {
            if (typed.kind() == BackendException.Kind.RATE_LIMITED || typed.kind() == BackendException.Kind.CIRCUIT_OPEN) {
                Log.debugf("Backend %s refused the call: %s: %s", backend.id(), typed.kind(), typed.getMessage());
            } else {
                Log.warnf("Backend %s failed: %s: %s", backend.id(), typed.kind(), typed.getMessage());
            }
        } else {
            Log.warnf(failure, "Backend %s failed unexpectedly", backend.id());
        }
    }

    private Uni<RawScores> callBackend(Conversation conversation, Lane lane) {
        return Uni.createFrom().deferred(() -> {
            long start = System.nanoTime();
            return backend.score(conversation, lane)
                    .onItem().invoke(metrics::scored)
                    .onFailure().invoke(this::log)
                    .onTermination()
                    .invoke((scores, failure, cancelled) -> metrics.backendCall(
                            backend.id(), Duration.ofNanos(System.nanoTime() - start), failure));
        });
    }
}
