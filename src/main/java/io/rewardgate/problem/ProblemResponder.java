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
 * body and headers as the API's exception mapper, in OpenAI's or vLLM's shape on the endpoints of their clients.
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
        String path = context.request().path();
        boolean openAi = OpenAiErrors.applies(path);
        boolean vllm = VllmError.applies(path);
        String body;
        try {
            body = json.writeValueAsString(openAi ? OpenAiError.of(problem) : vllm ? VllmError.of(problem) : problem);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        var response = context.response()
                .setStatusCode(problem.status())
                .putHeader(HttpHeaders.CONTENT_TYPE, openAi || vllm ? "application/json" : Problem.MEDIA_TYPE);
        if (problem.retryAfter() != null) {
            response.putHeader(HttpHeaders.RETRY_AFTER, String.valueOf(problem.retryAfter()));
        }
        if (close) {
            response.putHeader(HttpHeaders.CONNECTION, "close");
        }
        response.end(body);
    }
}
