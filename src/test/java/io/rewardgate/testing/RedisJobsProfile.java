package io.rewardgate.testing;

import java.util.List;
import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/** Batches kept in a real Redis ({@code rewardgate.jobs.store=redis}), which the cache tier shares. */
public class RedisJobsProfile implements QuarkusTestProfile {

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(RealRedis.class));
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("rewardgate.jobs.store", "redis");
    }
}
