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
 * Enforces {@code rewardgate.limits.max-body}: a declared body over it is answered 413 problem+json before
 * any of it is read; a body sent without a length is cut at it by the framework's body reader, which takes
 * its limit from the routing context. The stream is exempt: it is read line by line, each line within the
 * limit. The framework's own check ({@code quarkus.http.limits.max-body-size}, set far higher) runs just
 * before this one and would answer 413 with no body.
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

    /** Where the framework's body reader looks for the limit of a body sent without a length. */
    static final String READER_LIMIT = "io.quarkus.max-request-size";
    /** Right after the framework's own check (order -2), before any resource. */
    static final int ORDER = -1;

    void register(@Observes Router router) {
        long maxBody = limits.maxBody().asLongValue();
        router.route().order(ORDER).handler(context -> limit(context, maxBody));
    }

    private void limit(RoutingContext context, long maxBody) {
        if (context.request().path().equals(ScoreResource.STREAM_PATH)) {
            context.remove(READER_LIMIT);
            context.next();
            return;
        }
        String declared = context.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        long length;
        try {
            length = declared == null ? -1 : Long.parseLong(declared.trim());
        } catch (NumberFormatException malformed) {
            length = -1;
        }
        if (length <= maxBody) {
            context.put(READER_LIMIT, maxBody);
            context.next();
            return;
        }
        Problem problem = Problem.of(ProblemType.PAYLOAD_TOO_LARGE,
                "The body has " + length + " bytes, over the limit of " + maxBody + ".");
        boolean openAi = OpenAiErrors.applies(context.request().path());
        String body;
        try {
            body = json.writeValueAsString(openAi ? OpenAiError.of(problem) : problem);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        // Close the connection: the client may still be sending a body we will not read.
        context.response()
                .setStatusCode(problem.status())
                .putHeader(HttpHeaders.CONTENT_TYPE, openAi ? "application/json" : ProblemMapper.PROBLEM_JSON)
                .putHeader(HttpHeaders.CONNECTION, "close")
                .end(body);
    }
}
