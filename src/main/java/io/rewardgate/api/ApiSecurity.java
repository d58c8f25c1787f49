package io.rewardgate.api;

/** The OpenAPI names of the two ways to send a client key, which every resource lists as its security. */
public final class ApiSecurity {

    public static final String BEARER_SCHEME = "bearer";
    public static final String API_KEY_SCHEME = "apiKey";

    private ApiSecurity() {}
}
