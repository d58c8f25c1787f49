package io.rewardgate.jobs;

import java.nio.file.Path;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.quarkus.arc.DefaultBean;
import io.quarkus.runtime.StartupEvent;

/** Checks the jobs' settings at start, and gives the jobs volume. */
@ApplicationScoped
public class JobsProducer {

    /**
     * Checked here rather than with a constraint on the mapping: one constraint makes Quarkus build a
     * validator for all configuration at start, a second of start time.
     */
    void check(@Observes StartupEvent event, JobsConfig config) {
        atLeastOne("line-concurrency", config.lineConcurrency());
        atLeastOne("max-active-batches", config.maxActiveBatches());
        atLeastOne("max-uploads-in-flight", config.maxUploadsInFlight());
        atLeastOne("queue-window", config.queueWindow());
        atLeastOne("chunk-lines", config.chunkLines());
    }

    private static void atLeastOne(String key, int value) {
        if (value < 1) {
            throw new IllegalStateException("rewardgate.jobs." + key + " must be at least 1, not " + value + ".");
        }
    }

    /** The jobs volume, {@code rewardgate.jobs.directory}. */
    @Produces
    @Singleton
    @DefaultBean
    Volume volume(JobsConfig config) {
        return new Volume(Path.of(config.directory()));
    }
}
