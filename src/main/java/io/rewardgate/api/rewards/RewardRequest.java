package io.rewardgate.api.rewards;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * {@code POST /v1/rewards}: the request of the OpenRLHF remote reward protocol, as its trainers send it to their
 * remote reward URL, and one field of rewardgate's.
 */
@Schema(name = "RewardRequest", description = "What an OpenRLHF-style trainer sends to its remote reward model.",
        examples = """
                {"query": ["<|im_start|>user\\nName a prime number.<|im_end|>\\n<|im_start|>assistant\\nSeven.<|im_end|>"],
                 "prompts": ["<|im_start|>user\\nName a prime number.<|im_end|>\\n<|im_start|>assistant\\n"],
                 "labels": [null]}""")
public record RewardRequest(
        @Schema(required = true, description = "Each sample's prompt and response as one text, in the trainer's "
                + "chat template: 1 to rewardgate.limits.max-batch of them (default 1000).")
                List<String> query,
        @Schema(description = "Each sample's prompt as the template rendered it, the start of its query; without "
                + "them, the last assistant turn of each query is the response.")
                List<String> prompts,
        @Schema(description = "Each sample's label (a reference answer, for rule-based rewards); read for its length "
                + "only.")
                List<Object> labels,
        @Schema(description = "true for each reward in [0, 1] (rewardNormalized), false for the weighted reward; "
                + "default rewardgate.rewards.normalized (false).")
                Boolean normalized,
        @Schema(description = "The model to score with, one of GET /v1/models; else the URL's model query "
                + "parameter, else rewardgate.rewards.model, else the default model.")
                String model) {}
