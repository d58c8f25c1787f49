package io.rewardgate.api.classify;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.rewardgate.api.MessageInput;

/**
 * vLLM's classification request, in either of its forms (vllm/entrypoints/pooling/classify/protocol.py):
 * {@code ClassificationCompletionRequest}, texts already in a chat template, or
 * {@code ClassificationChatRequest}, messages. Fields vLLM takes that change nothing here
 * ({@code truncate_prompt_tokens}, {@code add_special_tokens}, {@code priority}, {@code user}) are accepted and
 * ignored, as vLLM accepts fields it does not know.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@Schema(name = "ClassifyRequest", description = "Either input (templated texts) or messages.",
        examples = """
                {"model": "nvidia/nemotron-4-340b-reward", "input": "<|im_start|>user\\nName a prime.<|im_end|>\\n\
                <|im_start|>assistant\\n7<|im_end|>\\n", "use_activation": false}""")
public record ClassifyRequest(
        @Schema(description = "The model to score with, one of GET /v1/models; the default model when absent.")
                String model,
        @Schema(description = "A conversation written in its chat template (ChatML, Llama 3, Gemma, Mistral or plain "
                + "text), or a list of them.", implementation = Input.class)
                JsonNode input,
        @Schema(description = "One conversation as messages: user and assistant turns (system turns are skipped), "
                + "ending with the assistant turn that is scored.")
                List<MessageInput> messages,
        @JsonProperty("use_activation")
        @Schema(description = "Whether the reward goes through a sigmoid, as vLLM's default does; false gives the "
                + "reward itself.", defaultValue = "true")
                Boolean useActivation,
        @Schema(description = "vLLM's former name of use_activation.", deprecated = true)
                Boolean activation) {

    /** The input, for the OpenAPI document: one text or several. */
    @Schema(name = "ClassifyInput", oneOf = {String.class, String[].class})
    interface Input {}

    /** Whether the answer is the reward's sigmoid: vLLM's default, unless either name says otherwise. */
    boolean sigmoid() {
        return useActivation != null ? useActivation : activation == null || activation;
    }
}
