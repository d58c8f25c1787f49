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
        /** The backend could not be reached, answered 5xx, or kept answering 429. */
        UNAVAILABLE,
        /** No answer within the configured timeout. */
        TIMEOUT,
        /** Our own limits for the backend (its budget, the wait queue) refuse more calls for now. */
        RATE_LIMITED,
        /** The backend failed so often lately that calls are not even tried for a while. */
        CIRCUIT_OPEN,
        /** The backend answered something that holds no usable scores. */
        BAD_RESPONSE,
        /** The backend refused our credentials, or we have none. */
        AUTH,
        /** The backend refused this conversation (for example, it is over the context length). */
        REJECTED,
        /**
         * No caller wanted the scores any more when the call could have started (a batch line of a cancelled
         * batch): the call was not made. Never answered to a client, never counted as the backend's failure.
         */
        ABANDONED
    }

    private final Kind kind;
    private final Duration retryAfter;
    private final boolean tooMany;

    public BackendException(Kind kind, String message) {
        this(kind, message, null, null);
    }

    public BackendException(Kind kind, String message, Duration retryAfter, Throwable cause) {
        this(kind, message, retryAfter, cause, false);
    }

    private BackendException(Kind kind, String message, Duration retryAfter, Throwable cause, boolean tooMany) {
        super(message, cause, false, false);
        this.kind = kind;
        this.retryAfter = retryAfter;
        this.tooMany = tooMany;
    }

    /**
     * The backend's own 429: {@link Kind#UNAVAILABLE} to callers and the breaker, and, to the adaptive limits, a
     * call too many.
     */
    public static BackendException tooMany(Duration retryAfter) {
        return new BackendException(Kind.UNAVAILABLE, "The backend's own rate limit is reached (HTTP 429).",
                retryAfter, null, true);
    }

    /** Whether the backend refused the call as one too many (HTTP 429). */
    public boolean tooMany() {
        return tooMany;
    }

    public Kind kind() {
        return kind;
    }

    /** Whether the same call may well succeed if tried again soon: counted by the breaker, retried. */
    public boolean transientFailure() {
        return kind == Kind.UNAVAILABLE || kind == Kind.TIMEOUT;
    }

    /** The failure of a call that was not made because no caller wanted it any more. */
    public static BackendException abandoned() {
        return new BackendException(Kind.ABANDONED, "No caller wanted the scores any more: the call was not made.");
    }

    /** The failure of an answer that holds no usable scores, saying why ({@code its body is not JSON}). */
    public static BackendException unusable(String why) {
        return new BackendException(Kind.BAD_RESPONSE, "The backend's answer is unusable: " + why + ".");
    }

    /** How long the backend asked us to wait, when it said so. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
