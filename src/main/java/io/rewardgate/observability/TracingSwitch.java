package io.rewardgate.observability;

import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

import org.eclipse.microprofile.config.spi.ConfigSource;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;

/**
 * Turns the OpenTelemetry SDK off unless an OTLP endpoint is configured: most deployments have no collector,
 * and the SDK's default endpoint would send every span to a localhost port nobody listens on. It is a config
 * source of its own, below every source a user writes to, so that an explicit {@code quarkus.otel.sdk.disabled}
 * still wins, and so that the extension, which hands the SDK the {@code quarkus.otel.*} names it finds among
 * the sources, finds this one. "Configured" means set by one of those user sources: an environment variable, a
 * system property or a properties file, not the extension's default.
 */
public class TracingSwitch implements ConfigSourceFactory {

    public static final String SDK_DISABLED = "quarkus.otel.sdk.disabled";
    static final String ENDPOINT = "quarkus.otel.exporter.otlp.endpoint";
    static final String TRACES_ENDPOINT = "quarkus.otel.exporter.otlp.traces.endpoint";
    /** Below application.properties (250), .env (295), the environment (300) and system properties (400). */
    static final int ORDINAL = 50;

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        boolean endpoint = set(context.getValue(ENDPOINT)) || set(context.getValue(TRACES_ENDPOINT));
        return List.of(new PropertiesConfigSource(Map.of(SDK_DISABLED, Boolean.toString(!endpoint)),
                getClass().getSimpleName(), ORDINAL));
    }

    @Override
    public OptionalInt getPriority() {
        return OptionalInt.of(ORDINAL);
    }

    private static boolean set(ConfigValue value) {
        return value != null && value.getValue() != null && !value.getValue().isBlank()
                && value.getConfigSourceOrdinal() > ORDINAL;
    }
}
