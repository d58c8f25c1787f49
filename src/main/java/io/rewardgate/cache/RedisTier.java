package io.rewardgate.cache;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.value.ReactiveValueCommands;
import io.quarkus.redis.datasource.value.SetArgs;
import io.rewardgate.observability.ScoringMetrics;
import io.rewardgate.scoring.RawScores;
import io.smallrye.mutiny.Uni;

/**
 * The shared tier: raw scores in Redis under {@code rewardgate:v1:<sha256>}, as
 * {@code name:value,name:value} text. Every call is bounded by {@code rewardgate.cache.redis.timeout}, and a
 * failure is a miss (on read) or nothing (on write): Redis being down, slow or refusing never fails a
 * request, it only costs backend calls. The client reconnects by itself; the tier is reported as degraded
 * until a call succeeds again.
 */
@ApplicationScoped
public class RedisTier {

    static final String KEY_PREFIX = "rewardgate:v1:";

    private final ReactiveValueCommands<String, String> values;
    private final Duration timeout;
    private final Duration ttl;
    private final ScoringMetrics metrics;
    private volatile String problem;

    @Inject
    public RedisTier(CacheConfig config, Instance<ReactiveRedisDataSource> redis, ScoringMetrics metrics) {
        CacheConfig.Redis settings = config.redis();
        // The client is resolved only when the tier is on: without Redis nothing needs to be configured.
        this.values = settings.enabled() ? redis.get().value(String.class, String.class) : null;
        this.timeout = settings.timeout();
        this.ttl = settings.ttl().orElse(config.ttl());
        this.metrics = metrics;
    }

    RedisTier() {
        this.values = null;
        this.timeout = Duration.ZERO;
        this.ttl = Duration.ZERO;
        this.metrics = null;
    }

    /** A tier that is switched off: every lookup misses, nothing is stored. */
    static RedisTier off() {
        return new RedisTier();
    }

    public boolean enabled() {
        return values != null;
    }

    /** {@code null} when the tier is off or healthy; otherwise why it is degraded. */
    public String problem() {
        return problem;
    }

    /** The scores stored under {@code key}, or a {@code null} item when there are none or Redis failed. */
    public Uni<RawScores> get(CacheKey key) {
        if (values == null) {
            return Uni.createFrom().nullItem();
        }
        return values.get(KEY_PREFIX + key.sha256())
                .ifNoItem().after(timeout).fail()
                .map(value -> {
                    healthy();
                    RawScores scores = value == null ? null : decode(value);
                    metrics.redisLookup(scores != null);
                    return scores;
                })
                .onFailure().recoverWithItem(failure -> {
                    failed("read", failure);
                    return null;
                });
    }

    /** Stores {@code scores} under {@code key} with the tier's TTL, in the background. */
    public void put(CacheKey key, RawScores scores) {
        if (values == null) {
            return;
        }
        values.set(KEY_PREFIX + key.sha256(), encode(scores), new SetArgs().px(ttl))
                .ifNoItem().after(timeout).fail()
                .subscribe().with(ok -> healthy(), failure -> failed("write", failure));
    }

    static String encode(RawScores scores) {
        StringBuilder text = new StringBuilder(16 * scores.size());
        for (int i = 0; i < scores.size(); i++) {
            text.append(i == 0 ? "" : ",").append(scores.names().get(i)).append(':').append(scores.value(i));
        }
        return text.toString();
    }

    /** The scores in {@code text}, or {@code null} for a value this version cannot read. */
    static RawScores decode(String text) {
        Map<String, Double> scores = new LinkedHashMap<>();
        try {
            for (String pair : text.split(",")) {
                int colon = pair.lastIndexOf(':');
                scores.put(pair.substring(0, colon), Double.parseDouble(pair.substring(colon + 1)));
            }
            return scores.isEmpty() ? null : new RawScores(scores);
        } catch (RuntimeException unreadable) {
            return null;
        }
    }

    private void healthy() {
        if (problem != null) {
            Log.info("The Redis cache tier answers again");
            problem = null;
        }
    }

    private void failed(String operation, Throwable failure) {
        metrics.redisError();
        if (problem == null) {
            Log.warnf("The Redis cache tier is degraded (%s failed: %s); requests go on without it",
                    operation, failure.toString());
        }
        problem = "Redis " + operation + " failed: " + failure.getClass().getSimpleName();
    }
}
