package io.rewardgate.backend;

import java.time.Duration;
import java.util.Optional;

/**
 * Why a backend could not score a conversation. Typed once here and mapped to HTTP once, in {@code api}.
 * The message is safe to show to clients: it never holds a key or a stack trace.
 */
public final class BackendException extends RuntimeException {

    /** What went wrong, independently of the backend. */
    public enum Kind {
        /** The backend could not be reached or answered 5xx. */
        UNAVAILABLE,
        /** No answer within the configured timeout. */
        TIMEOUT,
        /** The backend (or our budget for it) refuses more calls for now. */
        RATE_LIMITED,
        /** The backend answered something that holds no usable scores. */
        BAD_RESPONSE,
        /** The backend refused our credentials, or we have none. */
        AUTH,
        /** The backend refused this conversation (for example, it is over the context length). */
        REJECTED
    }

    private final Kind kind;
    private final Duration retryAfter;

    public BackendException(Kind kind, String message) {
        this(kind, message, null, null);
    }

    public BackendException(Kind kind, String message, Duration retryAfter, Throwable cause) {
        super(message, cause, false, false);
        this.kind = kind;
        this.retryAfter = retryAfter;
    }

    public Kind kind() {
        return kind;
    }

    /** How long the backend asked us to wait, when it said so. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
