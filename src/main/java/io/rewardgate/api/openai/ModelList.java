package io.rewardgate.api.openai;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonProperty;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** {@code GET /v1/models}: OpenAI's list form, each entry extended with rewardgate's own fields. */
@Schema(name = "ModelList", requiredProperties = {"object", "data"})
public record ModelList(@Schema(examples = "list") String object, List<Model> data) {

    /** The model served, with how its scores are weighted and normalized. */
    @Schema(name = "Model", requiredProperties = {"id", "object", "created", "owned_by", "backend", "attributes",
            "weights", "normalization"})
    public record Model(
            @Schema(examples = "nvidia/nemotron-4-340b-reward") String id,
            @Schema(examples = "model") String object,
            @Schema(description = "When this service started, in Unix seconds.", examples = "1718000000") long created,
            @JsonProperty("owned_by") @Schema(examples = "rewardgate") String ownedBy,
            @Schema(examples = "nvidia") String backend,
            @Schema(description = "The attributes the model reports, in its order.") List<String> attributes,
            @Schema(description = "Default weight of each attribute in reward.") Map<String, Double> weights,
            Normalization normalization) {}

    /** How raw scores are mapped into [0, 1], and the reward range of the default weights. */
    @Schema(name = "Normalization", requiredProperties = {"strategy", "attributes", "rewardMin", "rewardMax"})
    public record Normalization(
            @Schema(enumeration = {"range", "logistic"}) String strategy,
            @Schema(description = "Per attribute: min and max (range), mean and std (logistic).")
                    Map<String, AttributeNormalization> attributes,
            @Schema(description = "Least reward the default weights allow.", examples = "-1.32") double rewardMin,
            @Schema(description = "Greatest reward the default weights allow.", examples = "7.88") double rewardMax) {}

    @Schema(name = "AttributeNormalization", requiredProperties = {"min", "max", "mean", "std"})
    public record AttributeNormalization(double min, double max, double mean, double std) {}
}
