package io.rewardgate.backend.openrlhf;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.rewardgate.backend.BackendException;
import io.rewardgate.backend.BackendException.Kind;
import io.rewardgate.backend.BackendSettings;
import io.rewardgate.backend.Lane;
import io.rewardgate.backend.Resilience;
import io.rewardgate.backend.RewardBackend;
import io.rewardgate.scoring.Conversation;
import io.rewardgate.scoring.RawScores;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;

/**
 * A reward server speaking OpenRLHF's remote reward protocol ({@code {"query", "prompts", "labels"}} in,
 * {@code {"rewards"}} out): a team's own reward model behind the same cache, limits and metrics. Conversations
 * asked for within {@code max-batch-wait} of each other go in one call, up to {@code max-batch-size}; one call
 * takes one permit and one token of the budget, and its failure is each of its conversations' failure.
 * Batch lines and interactive calls never share a call, so that each keeps to its lane.
 */
public class OpenRlhfBackend implements RewardBackend {

    public static final String KIND = "openrlhf";
    /** The one attribute such a server reports. */
    public static final String REWARD = "reward";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final BackendSettings settings;
    private final Resilience resilience;
    private final Templates template;
    private final OpenRlhfClient client;
    /** {@code Bearer <key>}, or {@code null} for a server that takes none. */
    private final String authorization;
    private final ScheduledExecutorService scheduler;
    /** The call being filled, per lane; guarded by {@code this}. */
    private final Map<Lane, Call> filling = new EnumMap<>(Lane.class);

    private record Pending(Templates.Text text, BooleanSupplier wanted, UniEmitter<? super RawScores> emitter) {}

    private static final class Call {
        final List<Pending> items = new ArrayList<>();
        ScheduledFuture<?> timer;
    }

    public OpenRlhfBackend(BackendSettings settings, Resilience resilience, ScheduledExecutorService scheduler) {
        this.settings = settings;
        this.resilience = resilience;
        this.scheduler = scheduler;
        this.template = Templates.named(settings.chatTemplate());
        this.authorization = settings.key().map(key -> "Bearer " + key).orElse(null);
        this.client = settings.client(OpenRlhfClient.class);
    }

    /** The chat templates a model of this kind may name in {@code chat-template}. */
    public static List<String> templates() {
        return Arrays.stream(Templates.values()).map(t -> t.name().toLowerCase(Locale.ROOT)).toList();
    }

    @Override
    public String id() {
        return KIND;
    }

    @Override
    public String model() {
        return settings.model();
    }

    @Override
    public List<String> attributes() {
        return List.of(REWARD);
    }

    @Override
    public String unusableReason() {
        return resilience.holdReason();
    }

    @Override
    public Uni<RawScores> score(Conversation conversation, Lane lane, BooleanSupplier wanted) {
        Templates.Text text = template.write(conversation);
        return Uni.createFrom().emitter(emitter -> add(lane, new Pending(text, wanted, emitter)));
    }

    private void add(Lane lane, Pending pending) {
        List<Pending> full = null;
        synchronized (this) {
            Call call = filling.get(lane);
            if (call == null) {
                call = new Call();
                if (settings.maxBatchSize() > 1 && settings.maxBatchWait().toMillis() > 0) {
                    filling.put(lane, call);
                    Call waiting = call;
                    call.timer = scheduler.schedule(() -> flush(lane, waiting),
                            settings.maxBatchWait().toMillis(), TimeUnit.MILLISECONDS);
                }
            }
            call.items.add(pending);
            if (call.items.size() >= settings.maxBatchSize() || call.timer == null) {
                filling.remove(lane, call);
                if (call.timer != null) {
                    call.timer.cancel(false);
                }
                full = call.items;
            }
        }
        if (full != null) {
            send(lane, full);
        }
    }

    private void flush(Lane lane, Call call) {
        synchronized (this) {
            if (!filling.remove(lane, call)) {
                return;
            }
        }
        send(lane, call.items);
    }

    private void send(Lane lane, List<Pending> items) {
        List<String> queries = items.stream().map(p -> p.text().query()).toList();
        List<String> prompts = items.stream().map(p -> p.text().prompt()).toList();
        RewardRequest request = new RewardRequest(queries, prompts, Collections.nCopies(items.size(), null));
        // One call for them all: made while any of them is still wanted.
        BooleanSupplier anyWanted = () -> items.stream().anyMatch(p -> p.wanted().getAsBoolean());
        resilience.call(lane, anyWanted, timeoutMillis -> client.rewards(authorization, request))
                .map(body -> rewards(body, items.size()))
                .subscribe().with(
                        rewards -> {
                            for (int i = 0; i < items.size(); i++) {
                                items.get(i).emitter().complete(new RawScores(Map.of(REWARD, rewards[i])));
                            }
                        },
                        failure -> items.forEach(p -> p.emitter().fail(failure)));
    }

    /** The {@code rewards} of an answer: finite numbers, one per query sent. */
    static double[] rewards(String body, int expected) {
        JsonNode rewards;
        try {
            rewards = JSON.readTree(body == null ? "" : body).path("rewards");
        } catch (JsonProcessingException e) {
            throw unusable("its body is not JSON");
        }
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

    private static BackendException unusable(String why) {
        return new BackendException(Kind.BAD_RESPONSE, "The backend's answer is unusable: " + why + ".");
    }
}
