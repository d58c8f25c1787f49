package io.rewardgate.observability;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.rewardgate.backend.RewardBackend;

/** Ready while the configured backend can serve; says why not when it cannot. Never calls out. */
@Readiness
@ApplicationScoped
public class BackendReadinessCheck implements HealthCheck {

    private final RewardBackend backend;

    @Inject
    public BackendReadinessCheck(RewardBackend backend) {
        this.backend = backend;
    }

    @Override
    public HealthCheckResponse call() {
        String reason = backend.unusableReason();
        var response = HealthCheckResponse.named("backend")
                .withData("backend", backend.id())
                .withData("model", backend.model());
        return reason == null ? response.up().build() : response.down().withData("reason", reason).build();
    }
}
