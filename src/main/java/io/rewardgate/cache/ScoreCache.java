package io.rewardgate.cache;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;

import io.rewardgate.scoring.RawScores;
import io.smallrye.mutiny.Uni;

/**
 * Raw scores by {@link CacheKey}, with single-flight: Caffeine's async cache holds the future of a call in
 * flight, so concurrent identical misses share one backend call, and drops a future that fails, so an error
 * is never cached. Expiry starts when the scores arrive, not when the call starts.
 */
@ApplicationScoped
public class ScoreCache {

    private final AsyncCache<CacheKey, RawScores> local;

    @Inject
    public ScoreCache(CacheConfig config) {
        this(config.maxEntries(), config.ttl(), Ticker.systemTicker());
    }

    ScoreCache(long maxEntries, Duration ttl, Ticker ticker) {
        this.local = Caffeine.newBuilder()
                .maximumSize(maxEntries)
                .expireAfterWrite(ttl)
                .ticker(ticker)
                // Upkeep (expiry, eviction) runs on the calling thread: it is cheap and needs no pool.
                .executor(Runnable::run)
                .buildAsync();
    }

    /** Where the scores come from, known at once, and the scores, when they arrive. */
    public record Lookup(CacheOutcome outcome, Uni<RawScores> scores) {}

    /**
     * The cached scores for {@code key}, or those of the call in flight for it, or those of a new call made
     * with {@code loader}.
     */
    public Lookup get(CacheKey key, Supplier<Uni<RawScores>> loader) {
        CompletableFuture<RawScores> present = local.getIfPresent(key);
        if (present != null && present.isDone() && !present.isCompletedExceptionally()) {
            return new Lookup(CacheOutcome.HIT, Uni.createFrom().item(present.join()));
        }
        boolean[] loadedHere = {false};
        CompletableFuture<RawScores> future = local.get(key, (k, executor) -> {
            loadedHere[0] = true;
            return loader.get().subscribeAsCompletionStage();
        });
        CacheOutcome outcome = loadedHere[0] ? CacheOutcome.MISS
                : future.isDone() ? CacheOutcome.HIT : CacheOutcome.COALESCED;
        // A copy, so that a caller who goes away cancels only its own wait, never the shared call.
        return new Lookup(outcome, Uni.createFrom().completionStage(future::copy));
    }

    /** Entries held now, in flight included. */
    public long size() {
        return local.synchronous().estimatedSize();
    }
}
