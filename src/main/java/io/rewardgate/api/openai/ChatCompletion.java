package io.rewardgate.api.openai;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import com.fasterxml.jackson.annotation.JsonProperty;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.rewardgate.scoring.RawScores;

/**
 * The hosted reward API's answer: the raw scores as {@code choices[0].logprobs.content} tokens and again
 * as the {@code name:value,...} message content, which is where its clients read them.
 */
@Schema(name = "ChatCompletion", description = "The hosted reward API's answer, raw scores only.",
        requiredProperties = {"id", "object", "created", "model", "choices", "usage"})
public record ChatCompletion(
        @Schema(examples = "4668ad22-1dec-4df4-ba92-97ffa5fbd16d") String id,
        @Schema(examples = "chat.completion") String object,
        @Schema(description = "Unix seconds.", examples = "1718000000") long created,
        @Schema(examples = "nvidia/nemotron-4-340b-reward") String model,
        List<Choice> choices,
        @Schema(description = "Always zero: tokens are not counted, and a cached answer spends none.") Usage usage) {

    @Schema(name = "ChatCompletionChoice", requiredProperties = {"index", "message", "logprobs", "finish_reason"})
    public record Choice(
            int index,
            ChoiceMessage message,
            Logprobs logprobs,
            @JsonProperty("finish_reason") @Schema(examples = "length") String finishReason) {}

    @Schema(name = "ChatCompletionMessage", requiredProperties = {"role", "content"})
    public record ChoiceMessage(
            @Schema(examples = "assistant") String role,
            @Schema(examples = "helpfulness:3.0234375,correctness:1.84375,coherence:0.03125,complexity:1.125,verbosity:3.4921875")
                    String content) {}

    @Schema(name = "ChatCompletionLogprobs", requiredProperties = "content")
    public record Logprobs(@Schema(description = "One token per attribute; logprob is its raw score.") List<Token> content) {}

    @Schema(name = "ChatCompletionToken", requiredProperties = {"token", "logprob", "top_logprobs"})
    public record Token(
            @Schema(examples = "helpfulness") String token,
            @Schema(description = "The attribute's raw score (not a log-probability).", examples = "3.0234375") double logprob,
            @JsonProperty("top_logprobs") @Schema(description = "Always empty.") List<Token> topLogprobs) {}

    @Schema(name = "ChatCompletionUsage", requiredProperties = {"prompt_tokens", "completion_tokens", "total_tokens"})
    public record Usage(
            @JsonProperty("prompt_tokens") int promptTokens,
            @JsonProperty("completion_tokens") int completionTokens,
            @JsonProperty("total_tokens") int totalTokens) {}

    public static ChatCompletion of(String model, RawScores raw) {
        StringBuilder content = new StringBuilder();
        List<Token> tokens = new ArrayList<>(raw.size());
        for (int i = 0; i < raw.size(); i++) {
            String name = raw.names().get(i);
            double value = raw.value(i);
            content.append(i == 0 ? "" : ",").append(name).append(':').append(value);
            tokens.add(new Token(name, value, List.of()));
        }
        Choice choice = new Choice(0, new ChoiceMessage("assistant", content.toString()), new Logprobs(tokens), "length");
        return new ChatCompletion(randomId(), "chat.completion", System.currentTimeMillis() / 1000, model,
                List.of(choice), new Usage(0, 0, 0));
    }

    /** A version-4 UUID without {@link UUID#randomUUID()}'s shared SecureRandom: ids need not be unguessable. */
    private static String randomId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = (random.nextLong() & ~0xF000L) | 0x4000L;
        long low = (random.nextLong() & ~(0xC000L << 48)) | (0x8000L << 48);
        return new UUID(high, low).toString();
    }
}
