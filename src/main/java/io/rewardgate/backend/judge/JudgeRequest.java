package io.rewardgate.backend.judge;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * An OpenAI chat completion request (the API reference's {@code CreateChatCompletionRequest}): {@code n} answers
 * at {@code temperature}, and the {@code top_logprobs} of each token when the verdict's expected value is asked.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record JudgeRequest(String model, List<Turn> messages, double temperature, @JsonProperty("max_tokens") int maxTokens,
        Integer n, Boolean logprobs, @JsonProperty("top_logprobs") Integer topLogprobs) {

    /** The most top log-probabilities OpenAI's API returns per token. */
    static final int TOP_LOGPROBS = 20;

    /** One message; roles beyond OpenAI's ({@code response_1}, {@code response_2}) are GenRM's. */
    record Turn(String role, String content) {}

    static JudgeRequest of(String model, List<Turn> messages, Judging judging) {
        return new JudgeRequest(model, messages, judging.temperature(), judging.maxTokens(),
                judging.samples() > 1 ? judging.samples() : null, judging.logprobs() ? Boolean.TRUE : null,
                judging.logprobs() ? TOP_LOGPROBS : null);
    }
}
