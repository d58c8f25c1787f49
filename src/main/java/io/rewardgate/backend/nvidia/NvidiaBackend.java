package io.rewardgate.backend.nvidia;

import java.net.URI;
import java.util.List;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.resteasy.reactive.client.api.QuarkusRestClientProperties;

import io.quarkus.logging.Log;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.rewardgate.backend.BackendException;
import io.rewardgate.backend.CallLimiter;
import io.rewardgate.backend.BackendException.Kind;
import io.rewardgate.backend.RewardBackend;
import io.rewardgate.observability.ScoringMetrics;
import io.rewardgate.scoring.Conversation;
import io.rewardgate.scoring.RawScores;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * NVIDIA's hosted reward API, or any server speaking it. This bean owns everything around the wire
 * ({@link NvidiaClient}): the key, the concurrency cap and request budget shared by every caller, the
 * timeout, the check that every expected attribute came back, and the typing of transport failures; the
 * client interface stays a plain description of the HTTP call.
 */
@ApplicationScoped
@Identifier("nvidia")
public class NvidiaBackend implements RewardBackend {

    static final String NO_KEY =
            "No API key is configured for the nvidia backend: set REWARDGATE_NVIDIA_API_KEY or NVIDIA_API_KEY.";

    private final NvidiaConfig config;
    private final NvidiaClient client;
    private final CallLimiter limiter;

    @Inject
    public NvidiaBackend(NvidiaConfig config, ScoringMetrics metrics) {
        this.config = config;
        this.limiter = new CallLimiter(
                new CallLimiter.Settings(config.maxConcurrency(), config.requestsPerMinute(), config.burst(),
                        config.maxQueueWait()),
                metrics, Infrastructure.getDefaultWorkerPool(), System::nanoTime);
        metrics.watch(limiter);
        // Built here rather than injected so that every setting comes from rewardgate.nvidia.*. The read
        // timeout is a backstop behind our own, which types the failure; the pool holds a connection for
        // every call the limiter lets through (the client's default of 50 would cap it lower).
        this.client = QuarkusRestClientBuilder.newBuilder()
                .baseUri(URI.create(config.baseUrl()))
                .connectTimeout(config.connectTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(config.timeout().toMillis() + 5_000, TimeUnit.MILLISECONDS)
                .property(QuarkusRestClientProperties.CONNECTION_POOL_SIZE, config.maxConcurrency())
                .build(NvidiaClient.class);
    }

    @Override
    public String id() {
        return "nvidia";
    }

    @Override
    public String model() {
        return config.model();
    }

    @Override
    public List<String> attributes() {
        return config.attributes();
    }

    @Override
    public String unusableReason() {
        return hasKey() ? null : NO_KEY;
    }

    @Override
    public Uni<RawScores> score(Conversation conversation) {
        if (!hasKey()) {
            return Uni.createFrom().failure(new BackendException(Kind.AUTH, NO_KEY));
        }
        String authorization = "Bearer " + config.apiKey().orElseThrow().strip();
        ChatRequest request = ChatRequest.of(config.model(), conversation);
        // The timeout runs from the call's start, not from the start of its wait for a permit.
        return limiter.run(() -> client.complete(authorization, request)
                        .ifNoItem().after(config.timeout())
                        .failWith(() -> new BackendException(
                                Kind.TIMEOUT, "The backend did not answer within " + config.timeout().toSeconds() + "s."))
                        .onFailure(e -> !(e instanceof BackendException))
                        .transform(NvidiaBackend::unreachable))
                .map(NvidiaResponseParser::parse)
                .invoke(this::requireExpectedAttributes);
    }

    private boolean hasKey() {
        return config.apiKey().filter(key -> !key.isBlank()).isPresent();
    }

    private void requireExpectedAttributes(RawScores scores) {
        for (String attribute : config.attributes()) {
            if (!scores.names().contains(attribute)) {
                throw NvidiaResponseParser.unusable("attribute '" + attribute + "' is missing");
            }
        }
    }

    private static BackendException unreachable(Throwable cause) {
        Log.debugf(cause, "nvidia backend unreachable");
        return new BackendException(Kind.UNAVAILABLE, "The backend could not be reached.", null, cause);
    }
}
