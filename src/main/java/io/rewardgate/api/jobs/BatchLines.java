package io.rewardgate.api.jobs;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Validator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.rewardgate.api.LimitsConfig;
import io.rewardgate.api.openai.ChatCompletion;
import io.rewardgate.api.openai.ChatCompletionRequest;
import io.rewardgate.api.openai.ChatCompletionResource;
import io.rewardgate.api.preferences.PreferenceRequest;
import io.rewardgate.api.preferences.PreferenceResource;
import io.rewardgate.api.problem.Problems;
import io.rewardgate.api.rankings.RankingRequest;
import io.rewardgate.api.rankings.RankingResource;
import io.rewardgate.api.scores.ScoreRequest;
import io.rewardgate.api.scores.ScoreResponse;
import io.rewardgate.backend.BackendException;
import io.rewardgate.evaluations.EvaluationScoring;
import io.rewardgate.evaluations.Evaluations;
import io.rewardgate.jobs.LineHandler;
import io.rewardgate.jobs.RequestLine;
import io.rewardgate.models.Ask;
import io.rewardgate.models.ScoringService;
import io.rewardgate.problem.OpenAiError;
import io.rewardgate.problem.Problem;
import io.rewardgate.scoring.Conversation;
import io.rewardgate.security.ClientQuotas;
import io.smallrye.mutiny.Uni;

/**
 * A batch line answered as its endpoint answers the same body over HTTP: parsed and validated alike, scored
 * through the same {@link ScoringService} (in the batch lane of the backend limits), answered with the same
 * body, or with the same problem (in OpenAI's shape for chat completions). With client keys and quotas, each
 * line takes its turn in its owner's quota before it runs ({@link #quota}): the job store waits for it rather
 * than failing the line.
 */
@ApplicationScoped
public class BatchLines implements LineHandler {

    static final String SCORES = "/v1/scores";
    static final String RANKINGS = "/v1/rankings";
    /** The endpoints a batch created with {@code POST /v1/batches} may target. */
    static final List<String> BATCH_ENDPOINTS =
            List.of(ChatCompletionResource.PATH, SCORES, RANKINGS, PreferenceResource.PATH);
    /** Those, and the evaluations' lines, which only an evaluation writes. */
    private static final List<String> ENDPOINTS = Stream.concat(BATCH_ENDPOINTS.stream(), Stream.of(Evaluations.PATH))
            .toList();

    private final ObjectMapper json;
    private final Validator validator;
    private final ScoringService scoring;
    private final LimitsConfig limits;
    private final ClientQuotas quotas;
    private final EvaluationScoring evaluations;

    @Inject
    public BatchLines(ObjectMapper json, Validator validator, ScoringService scoring, LimitsConfig limits,
            ClientQuotas quotas, EvaluationScoring evaluations) {
        this.evaluations = evaluations;
        this.json = json;
        this.validator = validator;
        this.scoring = scoring;
        this.limits = limits;
        this.quotas = quotas;
    }

    @Override
    public List<String> endpoints() {
        return ENDPOINTS;
    }

    @Override
    public int maxLineBytes() {
        return (int) Math.min(Integer.MAX_VALUE, limits.maxBody().asLongValue());
    }

    @Override
    public Uni<LineOutcome> handle(RequestLine line, String owner, BooleanSupplier wanted) {
        return answer(line.url(), line.body(), wanted, owner)
                .map(body -> new LineOutcome(200, body, null, null))
                .onFailure().recoverWithItem(failure -> failed(line.url(), failure));
    }

    @Override
    public Uni<Duration> quota(String owner) {
        if (owner == null || quotas.perMinute() <= 0) {
            return Uni.createFrom().item(Duration.ZERO);
        }
        return quotas.take(owner);
    }

    private Uni<String> answer(String url, JsonNode body, BooleanSupplier wanted, String owner) {
        try {
            return scored(url, body, wanted, owner);
        } catch (JsonProcessingException | RuntimeException invalid) {
            return Uni.createFrom().failure(invalid);
        }
    }

    private Uni<String> scored(String url, JsonNode body, BooleanSupplier wanted, String owner)
            throws JsonProcessingException {
        return switch (url) {
            case SCORES -> {
                ScoreRequest request = valid(json.treeToValue(body, ScoreRequest.class));
                yield scoring.score(scoring.model(request.model()), request.toConversation(), request.weights(),
                        Ask.batch(wanted, owner)).map(score -> write(ScoreResponse.of(score)));
            }
            case RANKINGS -> {
                RankingRequest request = valid(json.treeToValue(body, RankingRequest.class));
                yield RankingResource.rank(scoring, request, Ask.batch(wanted, owner)).map(this::write);
            }
            case Evaluations.PATH -> evaluations.answer(body, limits.maxRankings(), wanted, owner);
            case PreferenceResource.PATH -> {
                PreferenceRequest request = json.treeToValue(body, PreferenceRequest.class);
                yield PreferenceResource.preferences(scoring, validator, request, Ask.batch(wanted, owner))
                        .map(this::write);
            }
            default -> {
                ChatCompletionRequest request = json.treeToValue(body, ChatCompletionRequest.class);
                Conversation conversation = request.conversationFor(limits.maxChars());
                yield scoring.score(scoring.model(request.model()), conversation, null, Ask.batch(wanted, owner))
                        .map(score -> write(ChatCompletion.of(score.model(), score.raw())));
            }
        };
    }

    private <T> T valid(T request) {
        Set<ConstraintViolation<T>> violations = validator.validate(request);
        if (!violations.isEmpty()) {
            throw new ConstraintViolationException(violations);
        }
        return request;
    }

    private LineOutcome failed(String url, Throwable failure) {
        if (failure instanceof BackendException backend && backend.kind() == BackendException.Kind.ABANDONED) {
            return LineOutcome.DROPPED;
        }
        Problem problem = Problems.of(failure);
        Object body = ChatCompletionResource.PATH.equals(url) ? OpenAiError.of(problem) : problem;
        String code = problem.type().substring(problem.type().lastIndexOf(':') + 1).replace('-', '_');
        return new LineOutcome(problem.status(), write(body), code, OpenAiError.of(problem).error().message());
    }

    private String write(Object body) {
        try {
            return json.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a response body that cannot be written", e);
        }
    }
}
