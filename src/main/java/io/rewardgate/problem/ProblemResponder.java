package io.rewardgate.problem;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.rewardgate.problem.Problem;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

/**
 * Answers a problem from a route handler that runs before any resource (body limit, API keys): the same
 * body and headers as the API's exception mapper, in another API's shape on the endpoints of its clients
 * ({@link ErrorShapes}).
 */
@ApplicationScoped
public class ProblemResponder {

    private final ObjectMapper json;

    @Inject
    public ProblemResponder(ObjectMapper json) {
        this.json = json;
    }

    /**
     * Ends the exchange with this problem.
     *
     * @param close whether to close the connection: the client may still be sending a body we will not read
     */
    public void send(RoutingContext context, Problem problem, boolean close) {
        Object shaped = ErrorShapes.shaped(context.request().path(), problem);
        String body;
        try {
            body = json.writeValueAsString(shaped);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        var response = context.response()
                .setStatusCode(problem.status())
                .putHeader(HttpHeaders.CONTENT_TYPE, shaped == problem ? Problem.MEDIA_TYPE : "application/json");
        if (problem.retryAfter() != null) {
            response.putHeader(HttpHeaders.RETRY_AFTER, String.valueOf(problem.retryAfter()));
        }
        if (close) {
            response.putHeader(HttpHeaders.CONNECTION, "close");
        }
        response.end(body);
    }
}
