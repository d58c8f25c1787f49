package io.rewardgate.testing;

import java.util.List;
import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * One start for every test of a real Redis: batches kept in it ({@code rewardgate.jobs.store=redis}), the cache
 * tier and budgets shared through it as by two replicas, and the hosted API faked by {@link FakeNvidia}. The
 * default model is the stub; {@link #HOSTED} is the hosted model without retries, {@link #BUDGET_OF_30} the
 * same with a budget of one call every 2 s and a wait for a token far shorter than that. Rewards and rerank
 * relevance scores default to their normalized form.
 */
public class RedisProfile implements QuarkusTestProfile {

    public static final String STUB = "rewardgate/stub-heuristic";
    public static final String HOSTED = "nvidia/nemotron-4-340b-reward";
    public static final String BUDGET_OF_30 = "budget-of-30";

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(FakeNvidia.class), new TestResourceEntry(RealRedis.class));
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.ofEntries(
                Map.entry("rewardgate.jobs.store", "redis"),
                Map.entry("rewardgate.rewards.normalized", "true"),
                Map.entry("rewardgate.rerank.normalized", "true"),
                Map.entry("rewardgate.cluster.replicas", "2"),
                Map.entry("rewardgate.nvidia.retry.max-retries", "0"),
                Map.entry("rewardgate.default-model", STUB),
                Map.entry("rewardgate.models.stub.kind", "stub"),
                Map.entry("rewardgate.models.stub.name", STUB),
                Map.entry("rewardgate.models.hosted.kind", "nvidia"),
                Map.entry("rewardgate.models.hosted.name", HOSTED),
                Map.entry("rewardgate.models." + BUDGET_OF_30 + ".kind", "nvidia"),
                Map.entry("rewardgate.models." + BUDGET_OF_30 + ".upstream-model", HOSTED),
                Map.entry("rewardgate.models." + BUDGET_OF_30 + ".requests-per-minute", "30"),
                Map.entry("rewardgate.models." + BUDGET_OF_30 + ".burst", "1"),
                Map.entry("rewardgate.models." + BUDGET_OF_30 + ".max-queue-wait", "300ms"));
    }
}
