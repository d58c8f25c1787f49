package io.rewardgate.jobs;

import java.util.List;

import io.smallrye.mutiny.Uni;

/**
 * Answers one request line of a batch as its endpoint answers the same request over HTTP. Implemented by the
 * API, which knows the endpoints' bodies; it never fails, an error being an outcome like any other.
 */
public interface LineHandler {

    /** The endpoints a batch may target, as {@code url} and {@code endpoint} name them. */
    List<String> endpoints();

    /** The answer to {@code line} of a batch owned by {@code owner} (a client key's name, or {@code null}). */
    Uni<LineOutcome> handle(RequestLine line, String owner);

    /**
     * What a request line was answered: {@code status} and the endpoint's {@code body} (a JSON object, as text);
     * for an error besides, its {@code code} and {@code message}. A {@code null} body is a failure with no HTTP
     * answer at all.
     */
    record LineOutcome(int status, String body, String code, String message) {

        public boolean ok() {
            return status < 400;
        }
    }
}
