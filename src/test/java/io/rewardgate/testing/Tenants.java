package io.rewardgate.testing;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * One start for every test of client keys: several tenants of one application, each a client key with a quota
 * of {@value #PER_MINUTE} requests a minute, and the limits that keep one from crowding out the others: two
 * active batches a key, files of 64 KiB, 128 KiB stored a key, one upload under way a key, and a cache of its
 * own for each key. Each test class has keys of its own, so that one's quota is never spent by another; CORS
 * is on for {@link #ORIGIN}. The default model is the stub; {@link #HOSTED} is the hosted API on
 * {@link FakeNvidia}, for what only a remote backend reports.
 */
public class Tenants implements QuarkusTestProfile {

    public static final String A = "rg-jobs-team-a-0123456789";
    public static final String B = "rg-jobs-team-b-0123456789";
    public static final String C = "rg-jobs-team-c-0123456789";
    public static final String D = "rg-jobs-team-d-0123456789";
    public static final String E = "rg-jobs-team-e-0123456789";
    public static final String F = "rg-jobs-team-f-0123456789";
    public static final String G = "rg-jobs-team-g-0123456789";
    /** The keys of the tests of authentication, named {@code auth-a} and {@code auth-b}. */
    public static final String AUTH_A = "rg-team-a-0123456789abcdef";
    public static final String AUTH_B = "rg-team-b-fedcba9876543210";
    /** The keys of the test of the quota, named {@code quota-a} and {@code quota-b}. */
    public static final String QUOTA_A = "rg-quota-a-0123456789abcdef";
    public static final String QUOTA_B = "rg-quota-b-fedcba9876543210";
    /** The key of the checks of the monitoring manifests, named {@code dashboard}. */
    public static final String DASHBOARD = "rg-dashboard-0123456789";
    public static final String ORIGIN = "https://notebooks.example";
    public static final int PER_MINUTE = 30;
    public static final String STUB = "rewardgate/stub-heuristic";
    public static final String HOSTED = "nvidia/nemotron-4-340b-reward";

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(FakeNvidia.class));
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> config = new HashMap<>();
        config.put("rewardgate.auth.api-keys", "team-a=" + A + ",team-b=" + B + ",team-c=" + C + ",team-d=" + D
                + ",team-e=" + E + ",team-f=" + F + ",team-g=" + G + ",auth-a=" + AUTH_A + ",auth-b=" + AUTH_B
                + ",quota-a=" + QUOTA_A + ",quota-b=" + QUOTA_B + ",dashboard=" + DASHBOARD);
        config.put("rewardgate.auth.requests-per-minute", Integer.toString(PER_MINUTE));
        config.put("rewardgate.jobs.max-active-batches", "2");
        config.put("rewardgate.jobs.max-file-bytes", "64K");
        config.put("rewardgate.jobs.max-stored-bytes-per-key", "128K");
        config.put("rewardgate.jobs.max-uploads-in-flight", "1");
        config.put("rewardgate.cache.share-across-keys", "false");
        config.put("quarkus.http.cors.enabled", "true");
        config.put("quarkus.http.cors.origins", ORIGIN);
        config.put("rewardgate.nvidia.retry.max-retries", "0");
        config.put("rewardgate.default-model", STUB);
        config.put("rewardgate.models.stub.kind", "stub");
        config.put("rewardgate.models.stub.name", STUB);
        config.put("rewardgate.models.hosted.kind", "nvidia");
        config.put("rewardgate.models.hosted.name", HOSTED);
        return config;
    }
}
