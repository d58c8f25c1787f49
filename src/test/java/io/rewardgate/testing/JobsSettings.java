package io.rewardgate.testing;

import java.math.BigInteger;
import java.time.Duration;

import io.quarkus.runtime.configuration.MemorySize;
import io.rewardgate.jobs.JobsConfig;

/**
 * {@code rewardgate.jobs.*} for a job store built without Quarkus: the packaged defaults, with what a test
 * changes. A record's accessors are the mapping's methods.
 */
public record JobsSettings(Store store, Duration claimIdle, String directory, MemorySize maxFileBytes,
        int maxFileLines, Duration fileRetention, int lineConcurrency, Duration sweepInterval, Duration drainTimeout,
        int maxActiveBatches, MemorySize maxStoredBytesPerKey, MemorySize maxStoredBytes, MemorySize minFreeSpace,
        int maxUploadsInFlight, int queueWindow, int chunkLines, Duration recordTimeout) implements JobsConfig {

    /** The defaults of {@code application.properties}. */
    public static JobsSettings defaults() {
        return new JobsSettings(Store.LOCAL, Duration.ofSeconds(30), "data", bytes(200L << 20), 50_000,
                Duration.ofDays(30), 64, Duration.ofMinutes(1), Duration.ofSeconds(20), 10, bytes(1L << 30),
                bytes(3L << 30), bytes(512L << 20), 2, 512, 128, Duration.ofMinutes(10));
    }

    public JobsSettings withClaimIdle(Duration idle) {
        return new JobsSettings(store, idle, directory, maxFileBytes, maxFileLines, fileRetention,
                lineConcurrency, sweepInterval, drainTimeout, maxActiveBatches, maxStoredBytesPerKey, maxStoredBytes,
                minFreeSpace, maxUploadsInFlight, queueWindow, chunkLines, recordTimeout);
    }

    public JobsSettings withSweepInterval(Duration interval) {
        return new JobsSettings(store, claimIdle, directory, maxFileBytes, maxFileLines, fileRetention,
                lineConcurrency, interval, drainTimeout, maxActiveBatches, maxStoredBytesPerKey, maxStoredBytes,
                minFreeSpace, maxUploadsInFlight, queueWindow, chunkLines, recordTimeout);
    }

    public JobsSettings withMinFreeSpace(long minFree) {
        return new JobsSettings(store, claimIdle, directory, maxFileBytes, maxFileLines, fileRetention,
                lineConcurrency, sweepInterval, drainTimeout, maxActiveBatches, maxStoredBytesPerKey, maxStoredBytes,
                bytes(minFree), maxUploadsInFlight, queueWindow, chunkLines, recordTimeout);
    }

    public JobsSettings withStoredBytes(long perKey, long total) {
        return new JobsSettings(store, claimIdle, directory, maxFileBytes, maxFileLines, fileRetention,
                lineConcurrency, sweepInterval, drainTimeout, maxActiveBatches, bytes(perKey), bytes(total),
                minFreeSpace, maxUploadsInFlight, queueWindow, chunkLines, recordTimeout);
    }

    public JobsSettings withRecordTimeout(Duration timeout) {
        return new JobsSettings(store, claimIdle, directory, maxFileBytes, maxFileLines, fileRetention,
                lineConcurrency, sweepInterval, drainTimeout, maxActiveBatches, maxStoredBytesPerKey, maxStoredBytes,
                minFreeSpace, maxUploadsInFlight, queueWindow, chunkLines, timeout);
    }

    public JobsSettings withLineConcurrency(int lines) {
        return new JobsSettings(store, claimIdle, directory, maxFileBytes, maxFileLines, fileRetention,
                lines, sweepInterval, drainTimeout, maxActiveBatches, maxStoredBytesPerKey, maxStoredBytes,
                minFreeSpace, maxUploadsInFlight, queueWindow, chunkLines, recordTimeout);
    }

    private static MemorySize bytes(long bytes) {
        return new MemorySize(BigInteger.valueOf(bytes));
    }
}
