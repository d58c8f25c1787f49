package io.rewardgate.observability;

import static org.assertj.core.api.Assertions.assertThat;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

/** With no OTLP endpoint configured, as in the shipped defaults, the SDK is off. */
@QuarkusTest
class TracingOffTest {

    @Test
    void theSdkIsOffWithoutAnEndpoint() {
        assertThat(ConfigProvider.getConfig().getValue(TracingSwitch.SDK_DISABLED, Boolean.class)).isTrue();
        assertThat(ConfigProvider.getConfig().getConfigValue(TracingSwitch.SDK_DISABLED).getSourceName())
                .contains(TracingSwitch.class.getSimpleName());
    }
}
