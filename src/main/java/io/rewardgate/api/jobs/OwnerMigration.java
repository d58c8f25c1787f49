package io.rewardgate.api.jobs;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;

import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.rewardgate.jobs.Batches;
import io.rewardgate.jobs.FileStore;
import io.rewardgate.security.ApiKeyFilter;

/**
 * At start, moves the files and batches that an earlier version stored under a bare key's position name
 * ({@code key-2}) to the key's name now (a digest of it), so that every client keeps what it stored. Runs after
 * the job stores have started; doing it twice moves nothing the second time.
 */
@ApplicationScoped
class OwnerMigration {

    void migrate(@Observes @Priority(Interceptor.Priority.APPLICATION + 1000) StartupEvent event, ApiKeyFilter keys,
            FileStore files, Batches batches) {
        keys.legacyNames().forEach((legacy, name) -> {
            try {
                int moved = files.renameOwner(legacy, name) + batches.renameOwner(legacy, name);
                if (moved > 0) {
                    Log.infof("%d files and batches of the bare key once named %s now belong to its name %s", moved,
                            legacy, name);
                }
            } catch (RuntimeException e) {
                Log.errorf("The files and batches of the bare key once named %s could not be moved to its name %s"
                        + " (%s); they are moved at the next start", legacy, name, e.getMessage());
            }
        });
    }
}
