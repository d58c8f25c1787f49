package io.rewardgate.api.problem;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;

import io.rewardgate.problem.Problem;

/**
 * The one place where a failure becomes an HTTP answer: {@code application/problem+json} from
 * {@link Problems}, plus {@code Retry-After} where the client should come back. Subclasses exist only to
 * register the mapper for each exception type the framework must route here.
 */
public abstract class ProblemMapper<E extends Throwable> implements ExceptionMapper<E> {

    public static final String PROBLEM_JSON = Problem.MEDIA_TYPE;

    @Override
    public final Response toResponse(E exception) {
        return response(Problems.of(exception));
    }

    static Response response(Problem problem) {
        Response.ResponseBuilder response = Response.status(problem.status())
                .type(PROBLEM_JSON)
                .entity(problem);
        if (problem.retryAfter() != null) {
            response.header(HttpHeaders.RETRY_AFTER, problem.retryAfter());
        }
        return response.build();
    }
}
