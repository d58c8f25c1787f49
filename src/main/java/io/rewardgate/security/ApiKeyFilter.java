package io.rewardgate.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import io.quarkus.logging.Log;
import io.rewardgate.backend.RetryAfter;
import io.rewardgate.problem.Problem;
import io.rewardgate.problem.ProblemResponder;
import io.rewardgate.problem.ProblemType;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * When client keys are configured, every {@code /v1/} request must carry one ({@code Authorization: Bearer}
 * or {@code X-API-Key}) and stay within its key's quota; otherwise 401 or 429, before the body is read or any
 * work is done. Operations under {@code /q/} (health, metrics, OpenAPI, Swagger UI) need no key. With the
 * Redis tier on, a key's quota is one for all replicas ({@link SharedQuota}); the request stays paused while
 * Redis is asked, as Quarkus leaves it until a handler reads the body.
 */
@ApplicationScoped
public class ApiKeyFilter {

    /** Before the body limit (order -1): a caller without a key learns nothing about our limits. */
    static final int ORDER = -3;
    static final String API_KEY_HEADER = "X-API-Key";
    /** Where the request's client key name is kept for the resources that own what they create. */
    private static final String CLIENT = "rewardgate.client";
    private static final String BEARER = "bearer ";
    private static final String FILES = "/v1/files";
    private static final String BATCHES = "/v1/batches";
    /** Added to a key's name for the bucket of its files and batches: no key's name holds a colon. */
    private static final String JOBS_BUCKET = ":jobs";

    private final AuthConfig config;
    private final ProblemResponder responder;
    private final ClientMetrics metrics;
    private final ClientQuotas quotas;
    private volatile ApiKeys keys;
    /** The key file's digest when last read: changes are detected without keeping its keys. */
    private volatile String fileDigest;

    @Inject
    public ApiKeyFilter(AuthConfig config, ProblemResponder responder, ClientMetrics metrics, ClientQuotas quotas) {
        this.config = config;
        this.responder = responder;
        this.metrics = metrics;
        this.quotas = quotas;
    }

    /** The name of the client key the request came with; {@code null} when no keys are configured. */
    public static String client(RoutingContext context) {
        return context.get(CLIENT);
    }

    void register(@Observes Router router, Vertx vertx) {
        String setting = config.apiKeys().map(String::strip).orElse("");
        if (setting.startsWith("/")) {
            Path file = Path.of(setting);
            String content = read(file);
            keys = parseSome(content, "the key file " + file);
            fileDigest = ApiKeys.fingerprint(content);
            vertx.setPeriodic(config.reloadInterval().toMillis(),
                    id -> vertx.executeBlocking(() -> reload(file), false));
        } else if (!setting.isEmpty()) {
            keys = parseSome(setting, "rewardgate.auth.api-keys");
        } else {
            Log.info("Client API keys: none, every /v1/ request is allowed");
            return;
        }
        Log.infof("Client API keys: %s", describe(keys));
        router.route("/v1/*").order(ORDER).handler(this::check);
    }

    private void check(RoutingContext context) {
        String name = keys.nameOf(presented(context));
        if (name == null) {
            metrics.request(ClientMetrics.UNKNOWN, ClientMetrics.Result.UNAUTHORIZED);
            context.response().putHeader("WWW-Authenticate", "Bearer realm=\"rewardgate\"");
            responder.send(context, Problem.of(ProblemType.UNAUTHORIZED,
                    "A valid API key is required: send it as 'Authorization: Bearer <key>' or 'X-API-Key: <key>'."),
                    true);
            return;
        }
        context.put(CLIENT, name);
        String bucket = bucket(name, context.request().path());
        if (!quotas.shared()) {
            admit(context, name, quotas.takeHere(bucket));
            return;
        }
        Context requestContext = Vertx.currentContext();
        quotas.take(bucket)
                .emitOn(task -> requestContext.runOnContext(ignored -> task.run()))
                .subscribe().with(wait -> admit(context, name, wait));
    }

    /**
     * The quota a request draws from: the key's own, which its batch lines spend as well, or, for its files and
     * batches, a bucket of the same size of their own, so that a key whose batch spends its quota can still read,
     * list and cancel what it runs.
     */
    static String bucket(String name, String path) {
        return path.startsWith(FILES) || path.startsWith(BATCHES) ? name + JOBS_BUCKET : name;
    }

    /** The names of the key that have been renamed since an earlier version (bare keys, by position), to the new. */
    public Map<String, String> legacyNames() {
        ApiKeys current = keys;
        return current == null ? Map.of() : current.legacyNames();
    }

    /** Lets the request through, or refuses it for {@code wait} when its key's quota is spent. */
    private void admit(RoutingContext context, String name, Duration wait) {
        if (!wait.isZero()) {
            metrics.request(name, ClientMetrics.Result.QUOTA_EXCEEDED);
            ProblemType type = ProblemType.QUOTA_EXCEEDED;
            responder.send(context, new Problem(type.uri(), type.title(), type.status(),
                    "This key's quota of " + config.requestsPerMinute() + " requests per minute is spent.",
                    null, RetryAfter.headerSeconds(wait)), true);
            return;
        }
        metrics.request(name, ClientMetrics.Result.ALLOWED);
        context.next();
    }

    private static String presented(RoutingContext context) {
        String authorization = context.request().getHeader(HttpHeaders.AUTHORIZATION);
        if (authorization != null && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return authorization.substring(BEARER.length()).strip();
        }
        return context.request().getHeader(API_KEY_HEADER);
    }

    /** Configured keys must hold one at least: an empty Secret must not turn authentication off. */
    private static ApiKeys parseSome(String text, String source) {
        ApiKeys parsed = ApiKeys.parse(text);
        if (parsed.isEmpty()) {
            throw new IllegalArgumentException(source + " holds no key; leave rewardgate.auth.api-keys empty to need none");
        }
        return parsed;
    }

    /** A changed key file replaces the keys; one that no longer parses keeps the old ones, loudly. */
    private Void reload(Path file) {
        try {
            String content = read(file);
            String digest = ApiKeys.fingerprint(content);
            if (!digest.equals(fileDigest)) {
                keys = parseSome(content, "the key file " + file);
                fileDigest = digest;
                Log.infof("Client API keys reloaded from %s: %s", file, describe(keys));
            }
        } catch (RuntimeException e) {
            Log.errorf("Client API keys in %s not reloaded, the previous ones stay in force: %s", file, e.getMessage());
        }
        return null;
    }

    /** How many keys, and their names: never the keys. */
    private static String describe(ApiKeys keys) {
        return keys.names().size() + " (" + String.join(", ", keys.names()) + ")";
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("rewardgate.auth.api-keys: cannot read the key file " + file, e);
        }
    }
}
