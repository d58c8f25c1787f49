package io.rewardgate.backend;

import java.time.Duration;
import java.util.function.Supplier;

import io.smallrye.mutiny.Uni;

/**
 * Readiness of a server that has a health endpoint: what the endpoint says, unless the model's breaker already
 * holds its calls. Asked outside the limiter and the breaker (a probe is not a scoring call), for at most
 * {@link #LONGEST}, and it never fails.
 */
public final class HealthProbe {

    /** Readiness answers within a second or two; a probe waits no longer than this. */
    static final Duration LONGEST = Duration.ofSeconds(2);

    private HealthProbe() {}

    /**
     * @param resilience the model's limits, whose breaker may hold its calls
     * @param endpoint what is asked, as the reason names it ({@code GET /health})
     * @param call the health call; a status of 400 or more fails it
     */
    public static Uni<String> ask(Resilience resilience, String endpoint,
            Supplier<Uni<?>> call) {
        String held = resilience.holdReason();
        if (held != null) {
            return Uni.createFrom().item(held);
        }
        return Uni.createFrom().deferred(call)
                .ifNoItem().after(LONGEST).fail()
                .onItem().transform(answer -> (String) null)
                .onFailure().recoverWithItem(failure -> "The server's " + endpoint + " did not answer OK: "
                        + (failure instanceof BackendException typed ? typed.getMessage()
                                : failure.getClass().getSimpleName()));
    }
}
