package io.rewardgate.jobs;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.quarkus.runtime.StartupEvent;

/** Gives the API the batches of the configured store, {@code rewardgate.jobs.store}. */
@ApplicationScoped
public class JobsProducer {

    /**
     * Checked here rather than with a constraint on the mapping: one constraint makes Quarkus build a
     * validator for all configuration at start, a second of start time.
     */
    void check(@Observes StartupEvent event, JobsConfig config) {
        if (config.lineConcurrency() < 1) {
            throw new IllegalStateException("rewardgate.jobs.line-concurrency must be at least 1, not "
                    + config.lineConcurrency() + ".");
        }
    }

    @Produces
    @Singleton
    Batches batches(JobsConfig config, Instance<BatchRunner> local, Instance<SharedBatches> shared) {
        return config.store() == JobsConfig.Store.REDIS ? shared.get() : local.get();
    }
}
