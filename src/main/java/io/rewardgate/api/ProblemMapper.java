package io.rewardgate.api;

import java.time.Duration;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;

import io.rewardgate.backend.RetryAfter;

/**
 * The one place where an error becomes an HTTP answer: {@code application/problem+json}, plus
 * {@code Retry-After} where the client should come back. Subclasses only say which problem an exception is.
 */
public abstract class ProblemMapper<E extends Throwable> implements ExceptionMapper<E> {

    public static final String PROBLEM_JSON = "application/problem+json";

    /** A problem and, when the client should retry later, after how long. */
    protected record Answer(Problem problem, Duration retryAfter) {

        Answer(Problem problem) {
            this(problem, null);
        }
    }

    protected abstract Answer answer(E exception);

    @Override
    public final Response toResponse(E exception) {
        Answer answer = answer(exception);
        Response.ResponseBuilder response = Response.status(answer.problem().status())
                .type(PROBLEM_JSON)
                .entity(answer.problem());
        if (answer.retryAfter() != null) {
            response.header(HttpHeaders.RETRY_AFTER, RetryAfter.headerSeconds(answer.retryAfter()));
        }
        return response.build();
    }
}
