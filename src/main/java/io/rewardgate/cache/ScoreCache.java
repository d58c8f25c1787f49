package io.rewardgate.cache;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;

import io.rewardgate.scoring.RawScores;
import io.smallrye.mutiny.Uni;

/**
 * Raw scores by {@link CacheKey}, in two tiers: in process, then (when enabled) the {@link RedisTier} shared by
 * every replica. Single-flight: Caffeine's async cache holds the future of a load in flight, so concurrent
 * identical misses share one Redis lookup and at most one backend call, and it drops a future that fails, so
 * an error is never cached. A Redis hit fills the local tier; a backend result is written to both. Local
 * expiry starts when the scores arrive, not when the call starts.
 */
@ApplicationScoped
public class ScoreCache {

    private final AsyncCache<CacheKey, RawScores> local;
    private final RedisTier redis;

    @Inject
    public ScoreCache(CacheConfig config, RedisTier redis) {
        this(config.maxEntries(), config.ttl(), Ticker.systemTicker(), redis);
    }

    ScoreCache(long maxEntries, Duration ttl, Ticker ticker, RedisTier redis) {
        this.redis = redis;
        this.local = Caffeine.newBuilder()
                .maximumSize(maxEntries)
                .expireAfterWrite(ttl)
                .ticker(ticker)
                // Upkeep (expiry, eviction) runs on the calling thread: it is cheap and needs no pool.
                .executor(Runnable::run)
                .buildAsync();
    }

    /**
     * What the local tier had, known at once, and the scores with where they came from, when they arrive (a
     * local miss answered by Redis is a {@code HIT} for the client).
     */
    public record Lookup(CacheOutcome outcome, Uni<Found> found) {

        public Uni<RawScores> scores() {
            return found.map(Found::scores);
        }
    }

    /** Scores and where they came from. */
    public record Found(RawScores scores, CacheOutcome outcome) {}

    /**
     * The cached scores for {@code key}, or those of the call in flight for it, or those of a new call made
     * with {@code loader}.
     */
    public Lookup get(CacheKey key, Supplier<Uni<RawScores>> loader) {
        CompletableFuture<RawScores> present = local.getIfPresent(key);
        if (present != null && present.isDone() && !present.isCompletedExceptionally()) {
            return new Lookup(CacheOutcome.HIT, Uni.createFrom().item(new Found(present.join(), CacheOutcome.HIT)));
        }
        boolean[] loadedHere = {false};
        AtomicBoolean fromRedis = new AtomicBoolean();
        CompletableFuture<RawScores> future = local.get(key, (k, executor) -> {
            loadedHere[0] = true;
            return redis.get(k)
                    .flatMap(shared -> {
                        if (shared != null) {
                            fromRedis.set(true);
                            return Uni.createFrom().item(shared);
                        }
                        return loader.get().invoke(scores -> redis.put(k, scores));
                    })
                    .subscribeAsCompletionStage();
        });
        CacheOutcome outcome = loadedHere[0] ? CacheOutcome.MISS
                : future.isDone() ? CacheOutcome.HIT : CacheOutcome.COALESCED;
        // A copy, so that a caller who goes away cancels only its own wait, never the shared call.
        Uni<Found> found = Uni.createFrom().completionStage(future::copy)
                .map(scores -> new Found(scores,
                        outcome == CacheOutcome.MISS && fromRedis.get() ? CacheOutcome.HIT : outcome));
        return new Lookup(outcome, found);
    }

    /** Entries held now, in flight included. */
    public long size() {
        return local.synchronous().estimatedSize();
    }
}
