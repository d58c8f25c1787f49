package io.rewardgate.api;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import io.rewardgate.problem.Problem;
import io.rewardgate.problem.ProblemResponder;
import io.rewardgate.problem.ProblemType;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * Enforces {@code rewardgate.limits.max-body} with a 413 problem before any work: a declared body over it is
 * refused before any of it is read; a body sent without a length is read here, within the limit, and refused
 * as soon as it goes over. The stream is exempt: it is read line by line, each line within the limit. So are
 * file uploads, which go to disk as they arrive, within the file limits ({@code UploadGate}). The framework's
 * own check ({@code quarkus.http.limits.max-body-size}, set far higher) runs just before this one
 * and would answer 413 with no body.
 */
@ApplicationScoped
public class BodyLimitFilter {

    private final LimitsConfig limits;
    private final ProblemResponder responder;

    @Inject
    public BodyLimitFilter(LimitsConfig limits, ProblemResponder responder) {
        this.limits = limits;
        this.responder = responder;
    }

    /** Where the framework's body reader looks for the limit of a body sent without a length. */
    static final String READER_LIMIT = "io.quarkus.max-request-size";
    /** Right after the framework's own check (order -2), before any resource. */
    static final int ORDER = -1;

    void register(@Observes Router router) {
        long maxBody = limits.maxBody().asLongValue();
        BodyHandler reader = BodyHandler.create(false).setBodyLimit(maxBody);
        router.route().order(ORDER)
                .handler(context -> limit(context, maxBody, reader))
                .failureHandler(context -> {
                    if (context.statusCode() == 413 && !context.response().headWritten() && !upload(context)) {
                        responder.send(context, Problem.of(ProblemType.PAYLOAD_TOO_LARGE,
                                "The body is over the limit of " + maxBody + " bytes."), true);
                    } else {
                        context.next();
                    }
                });
    }

    private void limit(RoutingContext context, long maxBody, BodyHandler reader) {
        String path = context.request().path();
        if (path.equals(Paths.SCORES_STREAM)) {
            context.remove(READER_LIMIT);
            context.next();
            return;
        }
        if (upload(context)) {
            // Held to the file limits as it streams to disk, by UploadGate.
            context.remove(READER_LIMIT);
            context.next();
            return;
        }
        long length = declaredLength(context);
        HttpMethod method = context.request().method();
        if (length < 0 && (method == HttpMethod.POST || method == HttpMethod.PUT || method == HttpMethod.PATCH)) {
            // No length to judge by: read the body here, within the limit, so that going over it is a
            // failure this route answers with a problem rather than the framework with an empty 413.
            reader.handle(context);
            return;
        }
        if (length <= maxBody) {
            context.put(READER_LIMIT, maxBody);
            context.next();
            return;
        }
        responder.send(context, Problem.of(ProblemType.PAYLOAD_TOO_LARGE,
                "The body has " + length + " bytes, over the limit of " + maxBody + "."), true);
    }

    /** An upload, which UploadGate holds to the file limits, and answers when it goes over. */
    private static boolean upload(RoutingContext context) {
        return context.request().path().equals(Paths.FILES) && context.request().method() == HttpMethod.POST;
    }

    /** The body's length as the request declares it; -1 when it declares none. */
    public static long declaredLength(RoutingContext context) {
        String declared = context.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        try {
            return declared == null ? -1 : Long.parseLong(declared.trim());
        } catch (NumberFormatException malformed) {
            return -1;
        }
    }
}
