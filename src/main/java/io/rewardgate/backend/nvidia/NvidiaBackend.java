package io.rewardgate.backend.nvidia;

import java.util.function.BooleanSupplier;

import io.rewardgate.backend.BackendException;
import io.rewardgate.backend.BackendException.Kind;
import io.rewardgate.backend.BackendSettings;
import io.rewardgate.backend.Lane;
import io.rewardgate.backend.Resilience;
import io.rewardgate.backend.RemoteBackend;
import io.rewardgate.scoring.Conversation;
import io.rewardgate.scoring.RawScores;
import io.smallrye.mutiny.Uni;

/**
 * NVIDIA's hosted reward API, or any server speaking it (a NIM): the five-attribute Nemotron-4-340B-Reward or a
 * scalar model such as Llama-3.1-Nemotron-70B-Reward, which reports one {@code reward}. {@link NvidiaClient}
 * stays a plain description of the HTTP call; {@link Resilience} holds the limits, retries and breaker.
 */
public class NvidiaBackend extends RemoteBackend {

    public static final String KIND = "nvidia";

    static final String NO_KEY =
            "No API key is configured for the nvidia backend: set REWARDGATE_NVIDIA_API_KEY or NVIDIA_API_KEY.";

    private final NvidiaClient client;

    public NvidiaBackend(BackendSettings settings, Resilience resilience) {
        super(settings, resilience);
        this.client = settings.client(NvidiaClient.class);
    }

    @Override
    public String id() {
        return KIND;
    }

    @Override
    public String variant() {
        return settings.upstreamModel();
    }

    @Override
    public String unusableReason() {
        return settings.key().isEmpty() ? NO_KEY : resilience.holdReason();
    }

    @Override
    public Uni<RawScores> score(Conversation conversation, Lane lane, BooleanSupplier wanted) {
        if (settings.key().isEmpty()) {
            return Uni.createFrom().failure(new BackendException(Kind.AUTH, NO_KEY));
        }
        ChatRequest request = ChatRequest.of(settings.upstreamModel(), conversation);
        return resilience.call(lane, wanted, timeoutMillis -> client.complete(authorization, request))
                .map(NvidiaResponseParser::parse)
                .invoke(this::requireExpectedAttributes);
    }

    private void requireExpectedAttributes(RawScores scores) {
        for (String attribute : settings.attributes()) {
            if (!scores.names().contains(attribute)) {
                throw BackendException.unusable("attribute '" + attribute + "' is missing");
            }
        }
    }
}
