package io.rewardgate.cache;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;

import io.rewardgate.scoring.CacheOutcome;
import io.rewardgate.scoring.RawScores;
import io.smallrye.mutiny.Uni;

/**
 * Raw scores by {@link CacheKey}, in two tiers: in process, then (when enabled) the {@link RedisTier} shared by
 * every replica. Single-flight: Caffeine's async cache holds the future of a load in flight, so concurrent
 * identical misses share one Redis lookup and at most one backend call, and it drops a future that fails, so
 * an error is never cached; {@link SharedFlight} extends that to every replica. A Redis hit fills the local
 * tier; a backend result is written to both, to Redis before the request is answered, so that a replica asked
 * next finds it. Local expiry starts when the scores arrive, not when the call starts.
 */
@ApplicationScoped
public class ScoreCache {

    private final AsyncCache<CacheKey, RawScores> local;
    private final SharedFlight shared;
    /** The callers of each load in flight: a load no one wants any more when it could start is not made. */
    private final Map<CacheKey, Interest> interests = new ConcurrentHashMap<>();

    @Inject
    public ScoreCache(CacheConfig config, SharedFlight shared) {
        this(config.maxEntries(), config.ttl(), Ticker.systemTicker(), shared);
    }

    ScoreCache(long maxEntries, Duration ttl, Ticker ticker, SharedFlight shared) {
        this.shared = shared;
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
     * local miss answered by Redis is a {@code HIT} for the client, one answered by another replica's call a
     * {@code COALESCED}).
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
        return get(key, () -> true, wanted -> loader.get());
    }

    /**
     * The cached scores for {@code key}, or those of the call in flight for it, or those of a new call made
     * with {@code loader}. The loader is given whether anyone still wants the scores: some caller waiting for
     * them, still subscribed, whose own {@code wanted} says yes; a call that no one wants when it could start
     * is not made.
     */
    public Lookup get(CacheKey key, BooleanSupplier wanted, Function<BooleanSupplier, Uni<RawScores>> loader) {
        CompletableFuture<RawScores> present = local.getIfPresent(key);
        if (present != null && present.isDone() && !present.isCompletedExceptionally()) {
            return new Lookup(CacheOutcome.HIT, Uni.createFrom().item(new Found(present.join(), CacheOutcome.HIT)));
        }
        Caller caller = new Caller(wanted);
        boolean[] loadedHere = {false};
        AtomicReference<SharedFlight.Source> source = new AtomicReference<>(SharedFlight.Source.BACKEND);
        CompletableFuture<RawScores> future = local.get(key, (k, executor) -> {
            loadedHere[0] = true;
            Interest interest = new Interest(caller);
            interests.put(k, interest);
            CompletableFuture<RawScores> loading = shared.load(k, () -> loader.apply(interest::wanted))
                    .map(loaded -> {
                        source.set(loaded.source());
                        return loaded.scores();
                    })
                    .subscribeAsCompletionStage();
            loading.whenComplete((scores, failure) -> interests.remove(k, interest));
            return loading;
        });
        if (!loadedHere[0] && !future.isDone()) {
            Interest interest = interests.get(key);
            if (interest != null) {
                interest.callers.add(caller);
            }
        }
        CacheOutcome outcome = loadedHere[0] ? CacheOutcome.MISS
                : future.isDone() ? CacheOutcome.HIT : CacheOutcome.COALESCED;
        // A copy, so that a caller who goes away cancels only its own wait, never the shared call.
        Uni<Found> found = Uni.createFrom().completionStage(future::copy)
                .onCancellation().invoke(() -> caller.gone = true)
                .map(scores -> new Found(scores, outcome == CacheOutcome.MISS ? source.get().outcome() : outcome));
        return new Lookup(outcome, found);
    }

    /**
     * The scores for {@code key} on the terms of a request's {@code policy}: as {@link #get(CacheKey,
     * BooleanSupplier, Function)} gives them, or, when the policy bypasses the cache, fresh from {@code loader}
     * (given the caller's own {@code wanted}).
     */
    public Lookup get(CacheKey key, CachePolicy policy, BooleanSupplier wanted,
            Function<BooleanSupplier, Uni<RawScores>> loader) {
        return policy.bypasses() ? bypass(key, policy, () -> loader.apply(wanted)) : get(key, wanted, loader);
    }

    /**
     * Fresh scores for {@code key} from {@code loader}, whatever the cache holds and whatever call is in flight
     * for it; with {@link CachePolicy#REFRESH} they replace the entry in both tiers (in Redis before they are
     * answered, as a miss's are), with {@link CachePolicy#NO_STORE} they are kept nowhere. A failure changes
     * nothing.
     */
    private Lookup bypass(CacheKey key, CachePolicy policy, Supplier<Uni<RawScores>> loader) {
        Uni<Found> found = Uni.createFrom().deferred(loader::get)
                .call(scores -> {
                    if (policy != CachePolicy.REFRESH) {
                        return Uni.createFrom().voidItem();
                    }
                    local.put(key, CompletableFuture.completedFuture(scores));
                    return shared.replace(key, scores);
                })
                .map(scores -> new Found(scores, CacheOutcome.BYPASS));
        return new Lookup(CacheOutcome.BYPASS, found);
    }

    /** Who waits for a load in flight. */
    private static final class Interest {
        final List<Caller> callers = new CopyOnWriteArrayList<>();

        Interest(Caller first) {
            callers.add(first);
        }

        /** Whether a caller still waits and still wants the scores. */
        boolean wanted() {
            for (Caller caller : callers) {
                if (!caller.gone && caller.wanted.getAsBoolean()) {
                    return true;
                }
            }
            return false;
        }
    }

    /** One caller of a load: whether it went away, and whether it still wants the scores. */
    private static final class Caller {
        final BooleanSupplier wanted;
        volatile boolean gone;

        Caller(BooleanSupplier wanted) {
            this.wanted = wanted;
        }
    }

    /** Entries held now, in flight included. */
    public long size() {
        return local.synchronous().estimatedSize();
    }
}
