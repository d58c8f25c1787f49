package io.rewardgate.backend.openrlhf;

import static io.rewardgate.backend.BackendException.unusable;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BooleanSupplier;

import com.fasterxml.jackson.databind.JsonNode;

import io.rewardgate.backend.BackendSettings;
import io.rewardgate.backend.CallBatcher;
import io.rewardgate.backend.ChatTemplate;
import io.rewardgate.backend.Lane;
import io.rewardgate.backend.Resilience;
import io.rewardgate.backend.RemoteBackend;
import io.rewardgate.backend.ServerAnswer;
import io.rewardgate.scoring.Conversation;
import io.rewardgate.scoring.RawScores;
import io.smallrye.mutiny.Uni;

/**
 * A reward server speaking OpenRLHF's remote reward protocol ({@code {"query", "prompts", "labels"}} in,
 * {@code {"rewards"}} out): a team's own reward model behind the same cache, limits and metrics. Conversations
 * asked for within {@code max-batch-wait} of each other go in one call, up to {@code max-batch-size}
 * ({@link CallBatcher}).
 */
public class OpenRlhfBackend extends RemoteBackend {

    public static final String KIND = "openrlhf";
    /** The one attribute such a server reports. */
    public static final String REWARD = "reward";

    private final ChatTemplate template;
    private final OpenRlhfClient client;
    private final CallBatcher<ChatTemplate.Text> batcher;

    public OpenRlhfBackend(BackendSettings settings, Resilience resilience, ScheduledExecutorService scheduler) {
        super(settings, resilience);
        this.template = ChatTemplate.named(settings.chatTemplate());
        this.client = settings.client(OpenRlhfClient.class);
        this.batcher = new CallBatcher<>(settings.maxBatchSize(), settings.maxBatchWait(), scheduler, this::send);
    }

    @Override
    public String id() {
        return KIND;
    }

    @Override
    public String variant() {
        return settings.chatTemplate();
    }

    @Override
    public Uni<RawScores> score(Conversation conversation, Lane lane, BooleanSupplier wanted) {
        return batcher.submit(lane, template.write(conversation), wanted);
    }

    private Uni<List<RawScores>> send(Lane lane, List<ChatTemplate.Text> texts, BooleanSupplier anyWanted) {
        List<String> queries = texts.stream().map(ChatTemplate.Text::query).toList();
        List<String> prompts = texts.stream().map(ChatTemplate.Text::prompt).toList();
        RewardRequest request = new RewardRequest(queries, prompts, Collections.nCopies(texts.size(), null));
        return resilience.call(lane, anyWanted, timeoutMillis -> client.rewards(authorization, request))
                .map(body -> {
                    double[] rewards = rewards(body, texts.size());
                    return Arrays.stream(rewards).mapToObj(r -> new RawScores(Map.of(REWARD, r))).toList();
                });
    }

    /** The {@code rewards} of an answer: finite numbers, one per query sent. */
    static double[] rewards(String body, int expected) {
        JsonNode rewards = ServerAnswer.json(body).path("rewards");
        if (!rewards.isArray()) {
            throw unusable("it has no rewards array");
        }
        if (rewards.size() != expected) {
            throw unusable("it holds " + rewards.size() + " rewards for " + expected + " queries");
        }
        double[] values = new double[expected];
        for (int i = 0; i < expected; i++) {
            JsonNode value = rewards.get(i);
            if (!value.isNumber() || !Double.isFinite(value.asDouble())) {
                throw unusable("reward " + i + " is not a finite number");
            }
            values[i] = value.asDouble();
        }
        return values;
    }

}
