package io.rewardgate.jobs;

/** Why a files or batches request cannot be done; typed here, answered in OpenAI's error shape by the API. */
public final class JobsException extends RuntimeException {

    /** What went wrong, which decides the status. */
    public enum Kind {
        /** No such file or batch, or not the caller's: 404. */
        NOT_FOUND,
        /** The request, or the file it names, is not acceptable: 400. */
        INVALID,
        /** The upload is over a configured limit of size: 413. */
        TOO_LARGE,
        /** Files cannot be stored now (the volume is full or read-only): 503. */
        UNAVAILABLE
    }

    private final Kind kind;
    private final String param;

    public JobsException(Kind kind, String message, String param) {
        super(message, null, false, false);
        this.kind = kind;
        this.param = param;
    }

    public JobsException(Kind kind, String message) {
        this(kind, message, null);
    }

    public Kind kind() {
        return kind;
    }

    /** The request field at fault, when there is one. */
    public String param() {
        return param;
    }

    public static JobsException notFound(String what, String id) {
        return new JobsException(Kind.NOT_FOUND, "No such " + what + ": '" + Ids.shown(id) + "'.", null);
    }
}
