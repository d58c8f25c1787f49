package io.rewardgate.testing;

import java.util.List;
import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/** The {@code nvidia} backend against {@link FakeNvidia}, with a key. */
public class NvidiaProfile implements QuarkusTestProfile {

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(FakeNvidia.class));
    }

    /** The same, without any key. */
    public static class WithoutKey implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(FakeNvidia.class, Map.of("apiKey", "")));
        }
    }
}
