package io.rewardgate.observability;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

/** The SDK is on exactly when a user configured where spans go, or turned it on or off themselves. */
class TracingSwitchTest {

    /** Where an extension's defaults sit: below every source a user writes to. */
    private static final Map<String, String> EXTENSION_DEFAULTS = Map.of(
            TracingSwitch.ENDPOINT, "http://localhost:4317", TracingSwitch.SDK_DISABLED, "false");

    @Test
    void offWithoutAnEndpointThoughTheExtensionDefaultsOne() {
        assertThat(sdkDisabled(Map.of(), Map.of())).isTrue();
    }

    @Test
    void onWithTheStandardEnvironmentVariable() {
        assertThat(sdkDisabled(Map.of(), Map.of("QUARKUS_OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4317")))
                .isFalse();
    }

    @Test
    void onWithATracesEndpointInAPropertiesFile() {
        assertThat(sdkDisabled(Map.of(TracingSwitch.TRACES_ENDPOINT, "http://collector:4318/v1/traces"), Map.of()))
                .isFalse();
    }

    @Test
    void onWithTheDefaultEndpointWhenAUserNamesIt() {
        assertThat(sdkDisabled(Map.of(TracingSwitch.ENDPOINT, "http://localhost:4317"), Map.of())).isFalse();
    }

    @Test
    void anExplicitSwitchWinsEitherWay() {
        assertThat(sdkDisabled(Map.of(TracingSwitch.ENDPOINT, "http://collector:4317"),
                Map.of("QUARKUS_OTEL_SDK_DISABLED", "true"))).isTrue();
        assertThat(sdkDisabled(Map.of(TracingSwitch.SDK_DISABLED, "false"), Map.of())).isFalse();
    }

    @Test
    void aBlankEndpointIsNoEndpoint() {
        assertThat(sdkDisabled(Map.of(), Map.of("QUARKUS_OTEL_EXPORTER_OTLP_ENDPOINT", " "))).isTrue();
    }

    private static boolean sdkDisabled(Map<String, String> properties, Map<String, String> env) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withSources(new TracingSwitch())
                .withSources(new PropertiesConfigSource(EXTENSION_DEFAULTS, "defaults", Integer.MIN_VALUE + 100))
                .withSources(new PropertiesConfigSource(properties, "application.properties", 250))
                .withSources(new EnvConfigSource(env, 300))
                .build();
        return config.getValue(TracingSwitch.SDK_DISABLED, Boolean.class);
    }
}
