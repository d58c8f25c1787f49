package io.rewardgate.backend.tei;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Defaults of every model of kind {@code tei}; each model may set its own under {@code rewardgate.models.<id>}. */
@ConfigMapping(prefix = "rewardgate.tei")
public interface TeiConfig {

    /** Conversations sent to the server in one call at most (TEI's own --max-client-batch-size is 32 by default). Defaults to {@code 32}. */
    @WithDefault("32")
    int maxBatchSize();

    /** Longest wait for more conversations before a call that is not full goes; 0 sends each at once. Defaults to {@code 5ms}. */
    @WithDefault("5ms")
    Duration maxBatchWait();

    /** How conversations are written as the classifier's text: {@code chatml}, {@code llama3} or {@code plain}. Defaults to {@code chatml}. */
    @WithDefault("chatml")
    String chatTemplate();
}
