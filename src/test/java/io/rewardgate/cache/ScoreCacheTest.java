package io.rewardgate.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import io.rewardgate.backend.BackendException;
import io.rewardgate.scoring.CacheOutcome;
import io.rewardgate.scoring.Conversation;
import io.rewardgate.scoring.RawScores;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;

class ScoreCacheTest {

    private static final RawScores SCORES = new RawScores(Map.of("helpfulness", 3.0));

    private final AtomicLong nanos = new AtomicLong();
    private final AtomicInteger loads = new AtomicInteger();

    @Test
    void aSecondLookupIsAHitWithoutLoading() {
        ScoreCache cache = cache(10, Duration.ofHours(1));

        assertThat(lookup(cache, key("a")).outcome()).isEqualTo(CacheOutcome.MISS);
        ScoreCache.Lookup second = lookup(cache, key("a"));

        assertThat(second.outcome()).isEqualTo(CacheOutcome.HIT);
        assertThat(second.scores().await().indefinitely()).isEqualTo(SCORES);
        assertThat(loads).hasValue(1);
    }

    @Test
    void entriesExpireAfterTheTtl() {
        ScoreCache cache = cache(10, Duration.ofMinutes(10));
        lookup(cache, key("a")).scores().await().indefinitely();

        nanos.addAndGet(Duration.ofMinutes(9).toNanos());
        assertThat(lookup(cache, key("a")).outcome()).isEqualTo(CacheOutcome.HIT);
        nanos.addAndGet(Duration.ofMinutes(2).toNanos());
        assertThat(lookup(cache, key("a")).outcome()).isEqualTo(CacheOutcome.MISS);
        assertThat(loads).hasValue(2);
    }

    @Test
    void theTtlStartsWhenTheScoresArriveNotWhenTheCallStarts() {
        ScoreCache cache = cache(10, Duration.ofMinutes(10));
        UniEmitter<? super RawScores>[] pending = pendingLoad(cache, key("slow"));

        nanos.addAndGet(Duration.ofMinutes(15).toNanos());
        assertThat(cache.get(key("slow"), this::countedLoad).outcome()).isEqualTo(CacheOutcome.COALESCED);
        pending[0].complete(SCORES);
        nanos.addAndGet(Duration.ofMinutes(9).toNanos());

        assertThat(lookup(cache, key("slow")).outcome()).isEqualTo(CacheOutcome.HIT);
        assertThat(loads).hasValue(0);
    }

    @Test
    void theLeastRecentlyUsedGoBeyondMaxEntries() {
        ScoreCache cache = cache(2, Duration.ofHours(1));
        for (String name : new String[] {"a", "b", "c", "d"}) {
            lookup(cache, key(name)).scores().await().indefinitely();
        }

        assertThat(cache.size()).isEqualTo(2);
    }

    @Test
    void aFailureIsNotCached() {
        ScoreCache cache = cache(10, Duration.ofHours(1));
        BackendException failure = new BackendException(BackendException.Kind.UNAVAILABLE, "down");

        ScoreCache.Lookup failed = cache.get(key("a"), () -> Uni.createFrom().failure(failure));
        assertThatThrownBy(() -> failed.scores().await().indefinitely()).isSameAs(failure);

        assertThat(lookup(cache, key("a")).outcome()).isEqualTo(CacheOutcome.MISS);
        assertThat(loads).hasValue(1);
    }

    @Test
    void aFollowerThatGoesAwayDoesNotCancelTheSharedCall() {
        ScoreCache cache = cache(10, Duration.ofHours(1));
        UniEmitter<? super RawScores>[] pending = pendingLoad(cache, key("shared"));
        ScoreCache.Lookup follower = cache.get(key("shared"), this::countedLoad);

        follower.scores().subscribe().with(scores -> { }).cancel();
        ScoreCache.Lookup another = cache.get(key("shared"), this::countedLoad);
        pending[0].complete(SCORES);

        assertThat(another.outcome()).isEqualTo(CacheOutcome.COALESCED);
        assertThat(another.scores().await().indefinitely()).isEqualTo(SCORES);
        assertThat(loads).hasValue(0);
    }

    private ScoreCache cache(long maxEntries, Duration ttl) {
        return new ScoreCache(maxEntries, ttl, nanos::get, SharedFlight.off());
    }

    private ScoreCache.Lookup lookup(ScoreCache cache, CacheKey key) {
        ScoreCache.Lookup lookup = cache.get(key, this::countedLoad);
        lookup.scores().await().indefinitely();
        return lookup;
    }

    private Uni<RawScores> countedLoad() {
        loads.incrementAndGet();
        return Uni.createFrom().item(SCORES);
    }

    /** Starts a load that completes only when the test says so. */
    @SuppressWarnings("unchecked")
    private static UniEmitter<? super RawScores>[] pendingLoad(ScoreCache cache, CacheKey key) {
        UniEmitter<? super RawScores>[] emitter = new UniEmitter[1];
        ScoreCache.Lookup lookup = cache.get(key, () -> Uni.createFrom().emitter(e -> emitter[0] = e));
        assertThat(lookup.outcome()).isEqualTo(CacheOutcome.MISS);
        assertThat(emitter[0]).isNotNull();
        return emitter;
    }

    private static CacheKey key(String prompt) {
        return CacheKey.of("stub", "model", Conversation.ofTurn(prompt, "answer"));
    }
}
