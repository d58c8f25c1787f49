package io.rewardgate.observability;

import jakarta.ws.rs.container.ContainerResponseContext;

import org.jboss.resteasy.reactive.server.ServerResponseFilter;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.rewardgate.scoring.CacheOutcome;

/**
 * What rewardgate adds to a request's server span, beside the route and status the HTTP instrumentation
 * records: the model, the cache outcome and, for batches, the item count. With tracing off the current span
 * is the no-op span, and these calls cost a lookup.
 */
public class RequestSpan {

    /** The id of the model the request was routed to. */
    public static final AttributeKey<String> MODEL = AttributeKey.stringKey("rewardgate.model");
    /** {@code HIT}, {@code MISS} or {@code COALESCED}, as the response's cache header. */
    public static final AttributeKey<String> CACHE = AttributeKey.stringKey("rewardgate.cache");
    /** The number of conversations (items, responses, queries or lines) of a batch request. */
    public static final AttributeKey<Long> ITEMS = AttributeKey.longKey("rewardgate.items");

    public static void model(String id) {
        Span.current().setAttribute(MODEL, id);
    }

    public static void items(long count) {
        Span.current().setAttribute(ITEMS, count);
    }

    @ServerResponseFilter
    public void cacheOutcome(ContainerResponseContext response) {
        String outcome = response.getHeaderString(CacheOutcome.HEADER);
        if (outcome != null) {
            Span.current().setAttribute(CACHE, outcome);
        }
    }
}
