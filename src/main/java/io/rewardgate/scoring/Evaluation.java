package io.rewardgate.scoring;

import java.util.Map;

/** Everything derived from raw scores for one set of weights. */
public record Evaluation(Map<String, AttributeScore> attributes, double reward, double rewardNormalized) {}
