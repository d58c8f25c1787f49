package io.rewardgate.backend.judge;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

import io.rewardgate.backend.BackendException;
import io.rewardgate.backend.BackendException.Kind;
import io.rewardgate.backend.BackendSettings;
import io.rewardgate.backend.HealthProbe;
import io.rewardgate.backend.Lane;
import io.rewardgate.backend.PairJudge;
import io.rewardgate.backend.Resilience;
import io.rewardgate.backend.RemoteBackend;
import io.rewardgate.scoring.Conversation;
import io.rewardgate.scoring.Message;
import io.rewardgate.scoring.RawScores;
import io.smallrye.mutiny.Uni;

/**
 * A generative reward model or LLM judge behind any OpenAI-compatible chat server. Pointwise, it is asked the
 * model's prompt and its verdict read by the model's rule; pairwise, it is shown the context and two responses
 * as GenRM reads them ({@code response_1}, {@code response_2}) and answers both scores. An answer without a
 * verdict is asked again up to {@code judge.parse-retries} times, each ask a call through the model's limits.
 */
public class JudgeBackend extends RemoteBackend implements PairJudge {

    public static final String KIND = "judge";

    private final Judging judging;
    private final JudgeClient client;
    /** Part of every cache key of the model: built once, as it holds the whole prompt. */
    private final String variant;

    JudgeBackend(BackendSettings settings, Resilience resilience, Judging judging) {
        super(settings, resilience);
        this.judging = judging;
        this.client = settings.client(JudgeClient.class);
        this.variant = judging.variant(settings.upstreamModel());
    }

    @Override
    public String id() {
        return KIND;
    }

    @Override
    public String attribute() {
        return settings.attributes().get(0);
    }

    @Override
    public String variant() {
        return variant;
    }

    @Override
    public boolean takesPrinciple() {
        return true;
    }

    @Override
    public Optional<PairJudge> pairJudge() {
        return judging.pairwise() ? Optional.of(this) : Optional.empty();
    }

    @Override
    public Uni<String> probe() {
        return HealthProbe.ask(resilience, "GET /models", () -> client.models(authorization));
    }

    @Override
    public Uni<RawScores> score(Conversation conversation, Lane lane, BooleanSupplier wanted) {
        String prompt = JudgePrompt.fill(judging.prompt(), conversation, principle(conversation), judging.min(),
                judging.max());
        JudgeRequest request = JudgeRequest.of(settings.upstreamModel(),
                List.of(new JudgeRequest.Turn("user", prompt)), judging);
        return ask(request, lane, wanted, this::verdict, 0)
                .map(score -> new RawScores(Map.of(attribute(), score)));
    }

    @Override
    public List<int[]> comparisons(int responses) {
        return judging.comparisons(responses);
    }

    @Override
    public Uni<RawScores> compare(Conversation first, Conversation second, Lane lane, BooleanSupplier wanted) {
        List<JudgeRequest.Turn> messages = new ArrayList<>();
        List<Message> context = first.messages().subList(0, first.messages().size() - 1);
        context.forEach(m -> messages.add(new JudgeRequest.Turn(m.role().wire(), m.content())));
        String principle = principle(first);
        if (principle != null) {
            messages.add(new JudgeRequest.Turn("principle", principle));
        }
        messages.add(new JudgeRequest.Turn("response_1", first.scoredTurn().content()));
        messages.add(new JudgeRequest.Turn("response_2", second.scoredTurn().content()));
        JudgeRequest request = JudgeRequest.of(settings.upstreamModel(), messages, judging);
        return ask(request, lane, wanted, this::pair, 0)
                .map(scores -> new RawScores(Map.of("score_1", scores[0], "score_2", scores[1])));
    }

    private String principle(Conversation conversation) {
        return conversation.principle() != null ? conversation.principle() : judging.principle();
    }

    /** Asks until an answer holds a verdict, {@code judge.parse-retries} times more at most. */
    private <T> Uni<T> ask(JudgeRequest request, Lane lane, BooleanSupplier wanted,
            Function<JudgeAnswer, Optional<T>> read, int retried) {
        return resilience.call(lane, wanted, timeoutMillis -> client.complete(authorization, request))
                .map(JudgeAnswer::read)
                .flatMap(answer -> read.apply(answer).map(found -> Uni.createFrom().item(found))
                        .orElseGet(() -> retried < judging.parseRetries()
                                ? ask(request, lane, wanted, read, retried + 1)
                                : Uni.createFrom().failure(noVerdict(answer, retried + 1))));
    }

    /** The mean verdict of the answers that hold one, or their expected verdict when log-probabilities are asked. */
    private Optional<Double> verdict(JudgeAnswer answer) {
        if (judging.logprobs()) {
            OptionalDouble expected = answer.expectedVerdict(judging.min(), judging.max());
            if (expected.isPresent()) {
                return Optional.of(expected.getAsDouble());
            }
        }
        OptionalDouble mean = answer.texts().stream()
                .map(text -> judging.verdict().read(text, judging.min(), judging.max()))
                .filter(OptionalDouble::isPresent)
                .mapToDouble(OptionalDouble::getAsDouble)
                .average();
        return mean.isPresent() ? Optional.of(mean.getAsDouble()) : Optional.empty();
    }

    /** The mean scores of the answers that hold a comparison. */
    private Optional<double[]> pair(JudgeAnswer answer) {
        List<PairVerdict> verdicts = answer.texts().stream()
                .map(text -> PairVerdict.read(text, judging.min(), judging.max()))
                .flatMap(Optional::stream)
                .toList();
        if (verdicts.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new double[] {
            verdicts.stream().mapToDouble(PairVerdict::first).average().orElseThrow(),
            verdicts.stream().mapToDouble(PairVerdict::second).average().orElseThrow()
        });
    }

    private BackendException noVerdict(JudgeAnswer answer, int asked) {
        String text = answer.lastText().replaceAll("\\p{Cntrl}+", " ").strip();
        String end = text.length() > 200 ? "..." + text.substring(text.length() - 200) : text;
        return new BackendException(Kind.BAD_RESPONSE, "The judge gave no verdict (" + judging.verdict().wire()
                + " on " + JudgePrompt.number(judging.min()) + " to " + JudgePrompt.number(judging.max()) + ") in "
                + asked + " answers; its last answer: '" + end + "'.");
    }
}
