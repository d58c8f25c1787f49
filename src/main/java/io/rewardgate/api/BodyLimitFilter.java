package io.rewardgate.api;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Answers a declared body over {@code rewardgate.limits.max-body} with 413 problem+json before any of it is
 * read. It runs first on the router, ahead of the framework's own check of the same limit
 * ({@code quarkus.http.limits.max-body-size}), which still cuts bodies sent without a length.
 */
@ApplicationScoped
public class BodyLimitFilter {

    private final LimitsConfig limits;
    private final ObjectMapper json;

    @Inject
    public BodyLimitFilter(LimitsConfig limits, ObjectMapper json) {
        this.limits = limits;
        this.json = json;
    }

    void register(@Observes Router router) {
        long maxBody = limits.maxBody().asLongValue();
        router.route().order(Integer.MIN_VALUE).handler(context -> rejectOversized(context, maxBody));
    }

    private void rejectOversized(RoutingContext context, long maxBody) {
        String declared = context.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        long length;
        try {
            length = declared == null ? -1 : Long.parseLong(declared.trim());
        } catch (NumberFormatException malformed) {
            length = -1;
        }
        if (length <= maxBody) {
            context.next();
            return;
        }
        Problem problem = Problem.of(ProblemType.PAYLOAD_TOO_LARGE,
                "The body has " + length + " bytes, over the limit of " + maxBody + ".");
        String body;
        try {
            body = json.writeValueAsString(problem);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        // Close the connection: the client may still be sending a body we will not read.
        context.response()
                .setStatusCode(problem.status())
                .putHeader(HttpHeaders.CONTENT_TYPE, ProblemMapper.PROBLEM_JSON)
                .putHeader(HttpHeaders.CONNECTION, "close")
                .end(body);
    }
}
