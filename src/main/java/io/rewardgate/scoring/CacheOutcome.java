package io.rewardgate.scoring;

/** Where a request's raw scores came from; sent as {@code X-Rewardgate-Cache}. */
public enum CacheOutcome {
    /** Already in the cache. */
    HIT,
    /** Not in the cache: this request called the backend. */
    MISS,
    /** Not in the cache, but another request's backend call in flight was shared. */
    COALESCED,
    /** The request's {@code Cache-Control} asked for a fresh score: the cache was not read. */
    BYPASS;

    /** The response header that carries it. */
    public static final String HEADER = "X-Rewardgate-Cache";
}
