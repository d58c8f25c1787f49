package io.rewardgate.jobs;

import java.time.Duration;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Files and batch jobs ({@code /v1/files}, {@code /v1/batches}). */
@ConfigMapping(prefix = "rewardgate.jobs")
public interface JobsConfig {

    /** Where batch state and progress are kept. */
    enum Store {
        /** On this process's disk, under {@code directory}: the replica that took a batch runs it. */
        LOCAL,
        /** In Redis: every replica sees every batch and works on its lines; {@code directory} must be shared. */
        REDIS
    }

    /**
     * Where batch state, progress and line results are kept: {@code local} or {@code redis} (the client is
     * {@code quarkus.redis.hosts}). Files stay under {@code directory} either way, which {@code redis} needs
     * shared by every replica (a ReadWriteMany volume). Defaults to {@code local}.
     */
    @WithDefault("local")
    Store store();

    /**
     * With the Redis store, how long a replica may hold a line without a sign of life (it renews its lines
     * every third of this) before another replica takes the line over. Defaults to {@code 30s}.
     */
    @WithDefault("30s")
    Duration claimIdle();

    /**
     * Where files, batch state and progress are kept: a volume in Kubernetes, since a job must outlive the
     * process that runs it. Defaults to {@code data}, under the working directory.
     */
    @WithDefault("data")
    String directory();

    /** Largest file that may be uploaded; a larger one is answered 413. Defaults to {@code 200M}. */
    @WithDefault("200M")
    MemorySize maxFileBytes();

    /** Most requests (non-blank lines) in one uploaded file. Defaults to {@code 50000}. */
    @WithDefault("50000")
    int maxFileLines();

    /** How long a file is kept after its upload or, for an output file, after its batch ended. Defaults to {@code 30d}. */
    @WithDefault("30d")
    Duration fileRetention();

    /**
     * Batch lines being scored at once on each replica, of all batches together, at least 1: free slots go to the
     * keys with work in turn, so that one key's large batch does not hold back another's. The backend's limits
     * and the batch lane apply on top. Defaults to {@code 64}.
     */
    @WithDefault("64")
    int lineConcurrency();

    /**
     * Batches of one client key that may be validating or in progress at once; one more is answered 429.
     * Defaults to {@code 10}.
     */
    @WithDefault("10")
    int maxActiveBatches();

    /**
     * Bytes of files one client key may keep (its uploads and its batches' outputs); an upload that would go
     * over is answered 413, while outputs are always written. Defaults to {@code 1G}.
     */
    @WithDefault("1G")
    MemorySize maxStoredBytesPerKey();

    /**
     * Bytes of files all keys together may keep under {@code directory}; an upload that would go over is
     * answered 413, while outputs are always written. Defaults to {@code 3G}.
     */
    @WithDefault("3G")
    MemorySize maxStoredBytes();

    /**
     * Free space the jobs volume keeps for outputs and progress: below it, uploads and new batches are answered
     * 503, while running batches still write their outputs. Defaults to {@code 512M}.
     */
    @WithDefault("512M")
    MemorySize minFreeSpace();

    /** Uploads of one client key that each replica reads at once; one more is answered 429. Defaults to {@code 2}. */
    @WithDefault("2")
    int maxUploadsInFlight();

    /**
     * With the Redis store, lines of one batch queued in Redis at once; more are queued as these are answered,
     * so that Redis holds a few kilobytes per batch whatever its size. Defaults to {@code 512}.
     */
    @WithDefault("512")
    int queueWindow();

    /**
     * With the Redis store, answers held in Redis before they are moved to the jobs volume in one chunk.
     * Defaults to {@code 128}.
     */
    @WithDefault("128")
    int chunkLines();

    /**
     * How long an answer that cannot be recorded (a full or failing volume) is tried again before its batch
     * stops and ends failed, listing the lines it did not answer. Defaults to {@code 10m}.
     */
    @WithDefault("10m")
    Duration recordTimeout();

    /**
     * How often files past their retention are looked for (a running batch's window is checked as its lines
     * start). Defaults to {@code 1m}.
     */
    @WithDefault("1m")
    Duration sweepInterval();

    /**
     * On shutdown (SIGTERM), how long lines in flight may take to finish and be recorded; the rest are scored
     * again after the restart. Keep it below {@code quarkus.shutdown.timeout}. Defaults to {@code 20s}.
     */
    @WithDefault("20s")
    Duration drainTimeout();
}
