package io.rewardgate.backend.tei;

import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BooleanSupplier;

import io.rewardgate.backend.BackendSettings;
import io.rewardgate.backend.CallBatcher;
import io.rewardgate.backend.ChatTemplate;
import io.rewardgate.backend.HealthProbe;
import io.rewardgate.backend.Lane;
import io.rewardgate.backend.Resilience;
import io.rewardgate.backend.RemoteBackend;
import io.rewardgate.scoring.Conversation;
import io.rewardgate.scoring.RawScores;
import io.smallrye.mutiny.Uni;

/**
 * A sequence-classification reward model served by Hugging Face's text-embeddings-inference: each
 * conversation written whole in the model's chat template, several per {@code POST /predict}
 * ({@link CallBatcher}), the scores asked raw (before TEI's sigmoid or softmax) and untruncated (a conversation
 * over the model's length is refused, and answered {@code 422 conversation-rejected}, rather than scored in part).
 */
public class TeiBackend extends RemoteBackend {

    public static final String KIND = "tei";

    private final ChatTemplate template;
    private final TeiClient client;
    private final CallBatcher<String> batcher;

    public TeiBackend(BackendSettings settings, Resilience resilience, ScheduledExecutorService scheduler) {
        super(settings, resilience);
        this.template = ChatTemplate.named(settings.chatTemplate());
        this.client = settings.client(TeiClient.class);
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
    public Uni<String> probe() {
        return HealthProbe.ask(resilience, "GET /health", () -> client.health(authorization));
    }

    @Override
    public Uni<RawScores> score(Conversation conversation, Lane lane, BooleanSupplier wanted) {
        return batcher.submit(lane, template.write(conversation).query(), wanted);
    }

    private Uni<List<RawScores>> send(Lane lane, List<String> texts, BooleanSupplier anyWanted) {
        PredictRequest request = PredictRequest.of(texts);
        return resilience.call(lane, anyWanted, timeoutMillis -> client.predict(authorization, request))
                .map(body -> TeiAnswer.read(body, texts.size(), settings.attributes()));
    }
}
