package io.rewardgate.api.rewards;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonProperty;

import io.rewardgate.scoring.AttributeScore;
import io.rewardgate.scoring.Score;

/**
 * The protocol's answer: {@code rewards}, one per query in order, which the trainer reads; {@code scores} and
 * {@code extra_logs}, which OpenRLHF uses for dynamic filtering and logs beside its metrics.
 */
@Schema(name = "RewardResponse", requiredProperties = {"rewards", "scores", "extra_logs"})
public record RewardResponse(
        @Schema(description = "One reward per query, in order: the weighted reward, or rewardNormalized when asked.",
                examples = "[3.2671875]") List<Double> rewards,
        @Schema(description = "One rewardNormalized per query, in [0, 1].", examples = "[0.4986073369565217]")
                List<Double> scores,
        @Schema(description = "Each attribute's raw score, one per query, by attribute.",
                examples = "{\"helpfulness\": [1.140625], \"correctness\": [2.0]}")
                @JsonProperty("extra_logs") Map<String, List<Double>> extraLogs) {

    static RewardResponse of(List<Score> scores, boolean normalized) {
        List<Double> rewards = new ArrayList<>(scores.size());
        List<Double> inRange = new ArrayList<>(scores.size());
        Map<String, List<Double>> attributes = new LinkedHashMap<>();
        for (Score score : scores) {
            rewards.add(normalized ? score.evaluation().rewardNormalized() : score.evaluation().reward());
            inRange.add(score.evaluation().rewardNormalized());
            for (Map.Entry<String, AttributeScore> attribute : score.evaluation().attributes().entrySet()) {
                attributes.computeIfAbsent(attribute.getKey(), name -> new ArrayList<>(scores.size()))
                        .add(attribute.getValue().raw());
            }
        }
        return new RewardResponse(rewards, inRange, attributes);
    }
}
