package io.rewardgate.api.scores;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.rewardgate.api.ValidWeights;
import io.rewardgate.api.WeightedRequest;

/**
 * {@code POST /v1/scores/batch}. Items are read one by one, so that one malformed item becomes an error entry
 * rather than failing the whole request.
 */
@Schema(name = "BatchRequest")
@ValidWeights
public record BatchRequest(
        @Schema(type = SchemaType.ARRAY, implementation = BatchItem.class, required = true,
                description = "1 to rewardgate.limits.max-batch items (default 1000).")
                List<JsonNode> items,
        @Schema(description = "Weights that replace the configured ones for every item.", examples = "{\"verbosity\": 0}")
                Map<String, Double> weights,
        @Schema(description = "The model to score with, one of GET /v1/models; the default model when absent.",
                examples = "nvidia/nemotron-4-340b-reward")
                String model) implements WeightedRequest {}
