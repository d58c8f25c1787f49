package io.rewardgate.scoring;


/** One scored conversation: where its raw scores came from and what they mean for the request's weights. */
public record Score(String backend, String model, RawScores raw, Evaluation evaluation, CacheOutcome cacheOutcome) {}
