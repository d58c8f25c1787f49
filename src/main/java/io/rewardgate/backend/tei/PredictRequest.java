package io.rewardgate.backend.tei;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * TEI's {@code PredictRequest} (router/src/http/types.rs): a batch of texts, scores before any activation, and
 * no truncation, so that a conversation over the model's length is refused rather than scored in part.
 */
record PredictRequest(List<String> inputs, @JsonProperty("raw_scores") boolean rawScores, boolean truncate) {

    static PredictRequest of(List<String> inputs) {
        return new PredictRequest(inputs, true, false);
    }
}
