package io.rewardgate.testing;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * The {@code nvidia} backend against {@link FakeNvidia}, with a key and without retries, so that each test
 * sees exactly the backend answers it set up. Subclasses add their own settings in {@link #settings()}, or
 * keep the service's own retries by overriding {@link #retries()}.
 */
public class NvidiaProfile implements QuarkusTestProfile {

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(FakeNvidia.class));
    }

    @Override
    public final Map<String, String> getConfigOverrides() {
        Map<String, String> config = new HashMap<>(retries());
        config.putAll(settings());
        return config;
    }

    /** The retry settings: none, unless a subclass says otherwise. */
    protected Map<String, String> retries() {
        return Map.of("rewardgate.nvidia.retry.max-retries", "0");
    }

    /** Settings of this profile, over the ones above. */
    protected Map<String, String> settings() {
        return Map.of();
    }

    /** The same, without any key. */
    public static class WithoutKey extends NvidiaProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(FakeNvidia.class, Map.of("apiKey", "")));
        }
    }
}
