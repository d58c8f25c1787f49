package io.rewardgate.jobs;

import java.time.Duration;
import java.util.Optional;

/** Why a files or batches request cannot be done; typed here, answered in OpenAI's error shape by the API. */
public final class JobsException extends RuntimeException {

    /** What went wrong, which decides the status. */
    public enum Kind {
        /** No such file or batch, or not the caller's: 404. */
        NOT_FOUND,
        /** The request, or the file it names, is not acceptable: 400. */
        INVALID,
        /** The upload is over a configured limit of size or of storage: 413. */
        TOO_LARGE,
        /** The key has as many batches or uploads under way as it may: 429. */
        LIMITED,
        /** Files or batches cannot be stored now (the volume or Redis is full, or out of reach): 503. */
        UNAVAILABLE
    }

    private final Kind kind;
    private final String param;
    private final Duration retryAfter;

    public JobsException(Kind kind, String message, String param, Duration retryAfter) {
        super(message, null, false, false);
        this.kind = kind;
        this.param = param;
        this.retryAfter = retryAfter;
    }

    public JobsException(Kind kind, String message, String param) {
        this(kind, message, param, null);
    }

    public JobsException(Kind kind, String message) {
        this(kind, message, null, null);
    }

    public Kind kind() {
        return kind;
    }

    /** The request field at fault, when there is one. */
    public String param() {
        return param;
    }

    /** How long the client should wait before trying again, when waiting helps. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    public static JobsException notFound(String what, String id) {
        return new JobsException(Kind.NOT_FOUND, "No such " + what + ": '" + Ids.shown(id) + "'.", null);
    }
}
