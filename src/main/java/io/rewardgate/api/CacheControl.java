package io.rewardgate.api;

import jakarta.ws.rs.container.ContainerResponseContext;

import org.jboss.resteasy.reactive.server.ServerResponseFilter;

import io.rewardgate.cache.CachePolicy;
import io.rewardgate.scoring.CacheOutcome;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

/**
 * A scoring request's {@code Cache-Control}, read by each scoring endpoint, and the cache header of its answer:
 * an answer of a request that bypassed the cache says {@code BYPASS}, also where its endpoint names no other
 * outcome (batches, streams, rankings and the other protocols' endpoints, whose items each have their own).
 */
public class CacheControl {

    /** The request header, as every scoring operation's OpenAPI parameter names it. */
    public static final String NAME = "Cache-Control";
    /** What the parameter does, for the OpenAPI document. */
    public static final String DESCRIPTION = "no-cache: score again and replace the cached entry; no-store: score "
            + "again and keep nothing. Either answers X-Rewardgate-Cache: BYPASS. Other directives change nothing.";

    private static final String BYPASSED = "rewardgate.cache-bypassed";

    /** What the request lets the cache do; remembered, so that its answer says {@code BYPASS}. */
    public static CachePolicy policy(RoutingContext context) {
        CachePolicy policy = CachePolicy.of(context.request().headers().getAll(HttpHeaders.CACHE_CONTROL));
        if (policy.bypasses()) {
            context.put(BYPASSED, Boolean.TRUE);
        }
        return policy;
    }

    @ServerResponseFilter
    public void bypassed(ContainerResponseContext response, RoutingContext context) {
        if (Boolean.TRUE.equals(context.get(BYPASSED)) && response.getStatus() < 300
                && !response.getHeaders().containsKey(CacheOutcome.HEADER)) {
            response.getHeaders().putSingle(CacheOutcome.HEADER, CacheOutcome.BYPASS.name());
        }
    }
}
