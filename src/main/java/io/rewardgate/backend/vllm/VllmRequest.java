package io.rewardgate.backend.vllm;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The body of {@code /classify} and {@code /pooling}: vLLM's chat form ({@code messages}, its own chat template
 * applied) or its completion form ({@code input}, texts already templated), never both
 * (vllm/entrypoints/pooling/classify/protocol.py: {@code ClassificationChatRequest},
 * {@code ClassificationCompletionRequest}). {@code use_activation} is sent to {@code /classify} as {@code false}:
 * vLLM's default applies a sigmoid or softmax, and a reward is the head's raw output. Templated {@code input} is
 * sent with {@code add_special_tokens: false}: the template already writes the begin-of-text token that vLLM
 * would otherwise add a second time.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record VllmRequest(String model, List<Turn> messages, List<String> input,
        @JsonProperty("use_activation") Boolean useActivation,
        @JsonProperty("add_special_tokens") Boolean addSpecialTokens) {

    /** One message of the chat form. */
    record Turn(String role, String content) {}

    static VllmRequest ofMessages(String model, List<Turn> messages, Boolean useActivation) {
        return new VllmRequest(model, messages, null, useActivation, null);
    }

    static VllmRequest ofInput(String model, List<String> input, Boolean useActivation) {
        return new VllmRequest(model, null, input, useActivation, Boolean.FALSE);
    }
}
