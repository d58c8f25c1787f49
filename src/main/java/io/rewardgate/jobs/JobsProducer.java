package io.rewardgate.jobs;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Gives the API the batches of the configured store, {@code rewardgate.jobs.store}. */
@ApplicationScoped
public class JobsProducer {

    @Produces
    @Singleton
    Batches batches(JobsConfig config, Instance<BatchRunner> local, Instance<SharedBatches> shared) {
        return config.store() == JobsConfig.Store.REDIS ? shared.get() : local.get();
    }
}
