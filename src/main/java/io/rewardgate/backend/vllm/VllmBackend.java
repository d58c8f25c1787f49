package io.rewardgate.backend.vllm;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;

import io.rewardgate.backend.BackendSettings;
import io.rewardgate.backend.CallBatcher;
import io.rewardgate.backend.ChatTemplate;
import io.rewardgate.backend.HealthProbe;
import io.rewardgate.backend.Lane;
import io.rewardgate.backend.Resilience;
import io.rewardgate.backend.RemoteBackend;
import io.rewardgate.scoring.Conversation;
import io.rewardgate.scoring.Message;
import io.rewardgate.scoring.RawScores;
import io.smallrye.mutiny.Uni;

/**
 * A reward model served by vLLM's pooling runner. Without a {@code chat-template}, each conversation goes alone
 * as {@code messages} and the server applies the model's own template; with one, conversations are written as
 * text and several go per call ({@link CallBatcher}). An outcome reward model is asked {@code POST /classify}
 * with {@code use_activation: false}, its labels read raw; a process reward model ({@code reward-type=process})
 * {@code POST /pooling}, the response's steps each followed by the step tag, and the steps' scores reduced to one.
 */
public class VllmBackend extends RemoteBackend {

    public static final String KIND = "vllm";

    /** How a model of this kind is asked, resolved from its keys and {@code rewardgate.vllm.*}. */
    record Mode(boolean process, String separator, String tag, StepReduce reduce) {}

    private final Mode mode;
    /** {@code null} when the server applies the model's own template to messages. */
    private final ChatTemplate template;
    private final VllmClient client;
    private final CallBatcher<Conversation> batcher;
    /** Part of every cache key of the model, built once. */
    private final String variant;

    VllmBackend(BackendSettings settings, Resilience resilience, Mode mode, ScheduledExecutorService scheduler) {
        super(settings, resilience);
        this.mode = mode;
        this.template = settings.chatTemplate().isEmpty() ? null : ChatTemplate.named(settings.chatTemplate());
        this.client = settings.client(VllmClient.class);
        int batch = template == null ? 1 : settings.maxBatchSize();
        this.batcher = new CallBatcher<>(batch, settings.maxBatchWait(), scheduler, this::send);
        String asked = settings.upstreamModel() + "\u0000" + (template == null ? "messages" : settings.chatTemplate());
        this.variant = mode.process() ? asked + "\u0000process\u0000" + mode.separator() + "\u0000" + mode.tag()
                + "\u0000" + mode.reduce().wire() : asked;
    }

    @Override
    public String id() {
        return KIND;
    }

    @Override
    public String variant() {
        return variant;
    }

    @Override
    public Uni<String> probe() {
        return HealthProbe.ask(resilience, "GET /health", () -> client.health(authorization));
    }

    @Override
    public Uni<RawScores> score(Conversation conversation, Lane lane, BooleanSupplier wanted) {
        return batcher.submit(lane, mode.process() ? tagSteps(conversation) : conversation, wanted);
    }

    /** The conversation with its response's steps each followed by the step tag, as a process model reads it. */
    Conversation tagSteps(Conversation conversation) {
        List<Message> turns = new ArrayList<>(conversation.messages());
        String response = turns.get(turns.size() - 1).content();
        StringBuilder tagged = new StringBuilder();
        Arrays.stream(response.split(Pattern.quote(mode.separator()))).filter(step -> !step.isBlank())
                .forEach(step -> tagged.append(step).append(mode.tag()));
        turns.set(turns.size() - 1, Message.assistant(tagged.toString()));
        return new Conversation(turns, conversation.principle());
    }

    private Uni<List<RawScores>> send(Lane lane, List<Conversation> conversations, BooleanSupplier anyWanted) {
        Boolean activation = mode.process() ? null : Boolean.FALSE;
        VllmRequest request = template == null
                ? VllmRequest.ofMessages(settings.upstreamModel(), messages(conversations.get(0)), activation)
                : VllmRequest.ofInput(settings.upstreamModel(),
                        conversations.stream().map(c -> template.write(c).query()).toList(), activation);
        if (!mode.process()) {
            return resilience.call(lane, anyWanted, timeoutMillis -> client.classify(authorization, request))
                    .map(body -> VllmAnswer.classify(body, conversations.size(), settings.attributes()));
        }
        String attribute = settings.attributes().get(0);
        return resilience.call(lane, anyWanted, timeoutMillis -> client.pooling(authorization, request))
                .map(body -> VllmAnswer.steps(body, conversations.size()).stream()
                        .map(steps -> new RawScores(Map.of(attribute, mode.reduce().of(steps)))).toList());
    }

    private static List<VllmRequest.Turn> messages(Conversation conversation) {
        return conversation.messages().stream().map(m -> new VllmRequest.Turn(m.role().wire(), m.content())).toList();
    }
}
