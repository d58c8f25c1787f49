package io.rewardgate.api.classify;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * vLLM's {@code ClassificationResponse}: one entry per input, in order, each of one label whose
 * {@code probs} is the reward. rewardgate does not tokenize: the token counts of {@code usage} are 0.
 */
@Schema(name = "ClassifyResponse", requiredProperties = {"id", "object", "created", "model", "data", "usage"})
public record ClassifyResponse(
        @Schema(examples = "classify-6f2c1e0a8b9d4c3e9f0a1b2c3d4e5f60") String id,
        @Schema(examples = "list") String object,
        @Schema(description = "Unix seconds.") long created,
        String model,
        List<Data> data,
        Usage usage) {

    /** One input's classification: its one label, whose probability is the reward (or its sigmoid). */
    @Schema(name = "ClassificationData", requiredProperties = {"index", "label", "probs", "num_classes"})
    public record Data(int index, @Schema(examples = "LABEL_0") String label, List<Double> probs,
            @JsonProperty("num_classes") int numClasses) {}

    @Schema(name = "ClassifyUsage", requiredProperties = {"prompt_tokens", "total_tokens"})
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Usage(@JsonProperty("prompt_tokens") int promptTokens,
            @JsonProperty("total_tokens") int totalTokens,
            @JsonProperty("completion_tokens") int completionTokens,
            @JsonProperty("prompt_tokens_details") Object promptTokensDetails) {}

    static ClassifyResponse of(String model, List<Double> rewards, boolean sigmoid) {
        List<Data> data = new ArrayList<>(rewards.size());
        for (int i = 0; i < rewards.size(); i++) {
            double reward = rewards.get(i);
            data.add(new Data(i, "LABEL_0", List.of(sigmoid ? 1 / (1 + Math.exp(-reward)) : reward), 1));
        }
        return new ClassifyResponse("classify-" + UUID.randomUUID().toString().replace("-", ""), "list",
                System.currentTimeMillis() / 1000, model, data, new Usage(0, 0, 0, null));
    }
}
