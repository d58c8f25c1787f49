package io.rewardgate.api;

import jakarta.ws.rs.container.ResourceInfo;

import org.jboss.logging.MDC;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import io.rewardgate.observability.RequestMetricsFilter;
import io.rewardgate.security.ApiKeyFilter;
import io.vertx.ext.web.RoutingContext;

/**
 * Puts the request's route template, method and client key name into the logging context, so that every line
 * logged for the request carries them (as {@code mdc} fields of the JSON lines). Never the body, the key or
 * the concrete path, whose ids name a caller's files. The context lives in the request's Vert.x context, so
 * requests never see each other's fields.
 */
public class RequestLogFields {

    /** The route template, e.g. {@code /v1/scores/batch}. */
    public static final String ROUTE = "route";
    public static final String METHOD = "method";
    /** The client key's configured name, when keys are configured. */
    public static final String CLIENT = "client";

    @ServerRequestFilter
    public void put(RoutingContext context, ResourceInfo resource) {
        if (resource != null && resource.getResourceMethod() != null) {
            MDC.put(ROUTE, RequestMetricsFilter.template(resource.getResourceClass(), resource.getResourceMethod()));
        }
        MDC.put(METHOD, context.request().method().name());
        String client = ApiKeyFilter.client(context);
        if (client != null) {
            MDC.put(CLIENT, client);
        }
    }
}
