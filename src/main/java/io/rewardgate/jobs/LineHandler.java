package io.rewardgate.jobs;

import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;

import io.smallrye.mutiny.Uni;

/**
 * Answers one request line of a batch as its endpoint answers the same request over HTTP. Implemented by the
 * API, which knows the endpoints' bodies; it never fails, an error being an outcome like any other.
 */
public interface LineHandler {

    /** The endpoints a batch may target, as {@code url} and {@code endpoint} name them. */
    List<String> endpoints();

    /** The longest request line a file may hold: the longest request body the endpoints take. */
    int maxLineBytes();

    /**
     * The answer to {@code line} of a batch owned by {@code owner} (a client key's name, or {@code null}).
     *
     * @param wanted whether the line is still wanted: once it says no (the batch was cancelled or expired, the
     *     replica stops), a backend call the line waits for is not made, and the outcome is {@link LineOutcome#DROPPED}
     */
    Uni<LineOutcome> handle(RequestLine line, String owner, BooleanSupplier wanted);

    /**
     * Takes one request of {@code owner}'s quota for a line about to run: {@link Duration#ZERO} when it may run
     * now, otherwise how long until the quota has one (nothing was taken then).
     */
    Uni<Duration> quota(String owner);

    /**
     * What a request line was answered: {@code status} and the endpoint's {@code body} (a JSON object, as text);
     * for an error besides, its {@code code} and {@code message}. A {@code null} body is a failure with no HTTP
     * answer at all; status 0 a line dropped before its backend call, which has no answer to record.
     */
    record LineOutcome(int status, String body, String code, String message) {

        /** The line was no longer wanted when its backend call could have started: nothing was answered. */
        public static final LineOutcome DROPPED = new LineOutcome(0, null, "dropped",
                "The line was dropped before its backend call: its batch stopped.");

        public boolean ok() {
            return status > 0 && status < 400;
        }

        public boolean dropped() {
            return status == 0;
        }
    }
}
