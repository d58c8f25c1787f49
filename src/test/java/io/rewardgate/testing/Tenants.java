package io.rewardgate.testing;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * Several tenants of one application, each a client key with a quota of {@value #PER_MINUTE} requests a minute,
 * and the limits that keep one from crowding out the others: two active batches a key, files of 64 KiB, 128
 * KiB stored a key, one upload under way a key, and a cache of its own for each key.
 */
public class Tenants implements QuarkusTestProfile {

    public static final String A = "rg-jobs-team-a-0123456789";
    public static final String B = "rg-jobs-team-b-0123456789";
    public static final String C = "rg-jobs-team-c-0123456789";
    public static final String D = "rg-jobs-team-d-0123456789";
    public static final String E = "rg-jobs-team-e-0123456789";
    public static final String F = "rg-jobs-team-f-0123456789";
    public static final String G = "rg-jobs-team-g-0123456789";
    public static final int PER_MINUTE = 30;

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("rewardgate.auth.api-keys", "team-a=" + A + ",team-b=" + B + ",team-c=" + C + ",team-d=" + D
                        + ",team-e=" + E + ",team-f=" + F + ",team-g=" + G,
                "rewardgate.auth.requests-per-minute", Integer.toString(PER_MINUTE),
                "rewardgate.jobs.max-active-batches", "2",
                "rewardgate.jobs.max-file-bytes", "64K",
                "rewardgate.jobs.max-stored-bytes-per-key", "128K",
                "rewardgate.jobs.max-uploads-in-flight", "1",
                "rewardgate.cache.share-across-keys", "false");
    }
}
