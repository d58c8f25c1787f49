package io.rewardgate.cache;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.value.ReactiveValueCommands;
import io.quarkus.redis.datasource.value.SetArgs;
import io.rewardgate.redis.LuaScript;
import io.rewardgate.scoring.RawScores;
import io.smallrye.mutiny.Uni;

/**
 * The shared tier: raw scores in Redis under {@code rewardgate:v1:<sha256>}, as
 * {@code name:value,name:value} text, and the leases by which one replica at a time scores a conversation
 * (see {@link SharedFlight}). Every call is bounded by {@code rewardgate.cache.redis.timeout}, and a failure is
 * a miss (on read) or nothing (on write): Redis being down, slow or refusing never fails a request, it only
 * costs backend calls. The client reconnects by itself; the tier is reported as degraded until a call
 * succeeds again.
 */
@ApplicationScoped
public class RedisTier {

    static final String KEY_PREFIX = "rewardgate:v1:";
    static final String LEASE_PREFIX = KEY_PREFIX + "lease:";

    private static final LuaScript CLAIM = LuaScript.named("claim");
    private static final LuaScript COMPLETE = LuaScript.named("complete");
    private static final LuaScript ABANDON = LuaScript.named("abandon");
    private static final LuaScript RENEW = LuaScript.named("renew");

    /** What a lookup that may claim the right to score found. */
    public sealed interface Claim {
        /** The scores were there. */
        record Found(RawScores scores) implements Claim {}

        /** They were not, and the caller now holds the lease on scoring them. */
        record Owned() implements Claim {}

        /** They were not, and another replica holds the lease for {@code left} more, unless it renews it. */
        record Busy(Duration left) implements Claim {}

        /** Redis did not answer: the caller is on its own. */
        record Unreachable() implements Claim {}
    }

    private final ReactiveRedisDataSource redis;
    private final ReactiveValueCommands<String, String> values;
    private final Duration timeout;
    private final Duration ttl;
    private final CacheMetrics metrics;
    private volatile String problem;

    @Inject
    public RedisTier(CacheConfig config, Instance<ReactiveRedisDataSource> redis, CacheMetrics metrics) {
        CacheConfig.Redis settings = config.redis();
        // The client is resolved only when the tier is on: without Redis nothing needs to be configured.
        this.redis = settings.enabled() ? redis.get() : null;
        this.values = settings.enabled() ? this.redis.value(String.class, String.class) : null;
        this.timeout = settings.timeout();
        this.ttl = settings.ttl().orElse(config.ttl());
        this.metrics = metrics;
    }

    RedisTier() {
        this.redis = null;
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
                    metrics.redisLookup(key.model(), scores != null);
                    return scores;
                })
                .onFailure().recoverWithItem(failure -> {
                    failed("read", failure);
                    return null;
                });
    }

    /**
     * Stores {@code scores} under {@code key} with the tier's TTL; completes when Redis has them, or failed to
     * within the timeout, so that a replica asked next finds them.
     */
    public Uni<Void> put(CacheKey key, RawScores scores) {
        if (values == null) {
            return Uni.createFrom().voidItem();
        }
        return bounded("write", values.set(KEY_PREFIX + key.sha256(), encode(scores), new SetArgs().px(ttl)));
    }

    /**
     * The scores stored under {@code key} or, when there are none, the lease on scoring them for
     * {@code lease}, taken under {@code token} unless another replica holds it.
     */
    public Uni<Claim> claim(CacheKey key, String token, Duration lease) {
        String sha = key.sha256();
        return CLAIM.run(redis, List.of(KEY_PREFIX + sha, LEASE_PREFIX + sha), token, Long.toString(lease.toMillis()))
                .ifNoItem().after(timeout).fail()
                .map(response -> {
                    healthy();
                    int kind = response.get(0).toInteger();
                    RawScores scores = kind == 1 ? decode(response.get(1).toString()) : null;
                    metrics.redisLookup(key.model(), scores != null);
                    return switch (kind) {
                        case 1 -> scores == null ? new Claim.Unreachable() : (Claim) new Claim.Found(scores);
                        case 2 -> new Claim.Owned();
                        default -> new Claim.Busy(Duration.ofMillis(Math.max(0, response.get(1).toLong())));
                    };
                })
                .onFailure().recoverWithItem(failure -> {
                    failed("read", failure);
                    return new Claim.Unreachable();
                });
    }

    /** Stores the scores of a claimed conversation, ends the lease and tells waiting replicas {@code notice}. */
    public Uni<Void> complete(CacheKey key, String token, RawScores scores, String channel, String notice) {
        String sha = key.sha256();
        return bounded("write", COMPLETE.run(redis, List.of(KEY_PREFIX + sha, LEASE_PREFIX + sha), encode(scores),
                Long.toString(ttl.toMillis()), token, channel, notice));
    }

    /** Ends the lease of a conversation whose scoring failed and tells waiting replicas {@code notice}. */
    public Uni<Void> abandon(CacheKey key, String token, String channel, String notice) {
        return bounded("write", ABANDON.run(redis, List.of(LEASE_PREFIX + key.sha256()), token, channel, notice));
    }

    /** Extends a lease this replica holds, so that others keep waiting for its call. */
    public Uni<Void> renew(CacheKey key, String token, Duration lease) {
        return bounded("write", RENEW.run(redis, List.of(LEASE_PREFIX + key.sha256()), token,
                Long.toString(lease.toMillis())));
    }

    /** {@code call} within the timeout; a failure is recorded and swallowed. */
    private Uni<Void> bounded(String operation, Uni<?> call) {
        return call.ifNoItem().after(timeout).fail()
                .onItem().invoke(this::healthy)
                .onFailure().invoke(failure -> failed(operation, failure))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
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
