package io.rewardgate.api;

import io.rewardgate.models.Ask;
import io.rewardgate.security.ApiKeyFilter;
import io.vertx.ext.web.RoutingContext;

/** Who asks for scores over HTTP: the request's client key, on the terms of its {@code Cache-Control}. */
public final class Callers {

    private Callers() {}

    /** A caller waiting on this request's answer, refused after the interactive queue wait. */
    public static Ask interactive(RoutingContext context) {
        return Ask.interactive(ApiKeyFilter.client(context), CacheControl.policy(context));
    }

    /** A trainer waiting on this request's answer as long as a training step takes. */
    public static Ask trainer(RoutingContext context) {
        return Ask.trainer(ApiKeyFilter.client(context), CacheControl.policy(context));
    }
}
