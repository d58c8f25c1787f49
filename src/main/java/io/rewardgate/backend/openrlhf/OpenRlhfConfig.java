package io.rewardgate.backend.openrlhf;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Defaults of every model of kind {@code openrlhf}; each model may set its own under {@code rewardgate.models.<id>}. */
@ConfigMapping(prefix = "rewardgate.openrlhf")
public interface OpenRlhfConfig {

    /** Conversations sent to the reward server in one call at most. Defaults to {@code 16}. */
    @WithDefault("16")
    int maxBatchSize();

    /** Longest wait for more conversations before a call that is not full goes; 0 sends each at once. Defaults to {@code 5ms}. */
    @WithDefault("5ms")
    Duration maxBatchWait();

    /** How conversations are written as the server's text: {@code chatml}, {@code llama3} or {@code plain}. Defaults to {@code chatml}. */
    @WithDefault("chatml")
    String chatTemplate();
}
