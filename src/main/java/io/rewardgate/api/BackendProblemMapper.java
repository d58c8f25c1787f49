package io.rewardgate.api;

import java.time.Duration;

import jakarta.ws.rs.ext.Provider;

import io.rewardgate.backend.BackendException;

/** Typed backend failures to HTTP: the one mapping of API section 4. */
@Provider
public class BackendProblemMapper extends ProblemMapper<BackendException> {

    /** When the backend gave no {@code Retry-After}, clients are asked to wait this long. */
    static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(1);

    @Override
    protected Answer answer(BackendException exception) {
        ProblemType type = switch (exception.kind()) {
            case REJECTED -> ProblemType.CONVERSATION_REJECTED;
            case AUTH -> ProblemType.BACKEND_AUTH;
            case BAD_RESPONSE -> ProblemType.BACKEND_BAD_RESPONSE;
            case UNAVAILABLE -> ProblemType.BACKEND_UNAVAILABLE;
            case TIMEOUT -> ProblemType.BACKEND_TIMEOUT;
            case RATE_LIMITED -> ProblemType.RATE_LIMITED;
        };
        Duration retryAfter = switch (exception.kind()) {
            case UNAVAILABLE, RATE_LIMITED -> exception.retryAfter().orElse(DEFAULT_RETRY_AFTER);
            default -> null;
        };
        return new Answer(Problem.of(type, exception.getMessage()), retryAfter);
    }
}
