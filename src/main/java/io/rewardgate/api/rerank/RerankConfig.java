package io.rewardgate.api.rerank;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Cohere's rerank, {@code POST /v1/rerank} (also {@code /rerank} and {@code /v2/rerank}). */
@ConfigMapping(prefix = "rewardgate.rerank")
public interface RerankConfig {

    /**
     * Whether each {@code relevance_score} is the document's {@code rewardNormalized}, in [0, 1] as Cohere's own
     * scores are, rather than its weighted {@code reward}. Defaults to {@code false}.
     */
    @WithDefault("false")
    boolean normalized();
}
