package io.rewardgate.models;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.quarkus.logging.Log;
import io.rewardgate.backend.BackendException;
import io.rewardgate.backend.Lane;
import io.rewardgate.backend.PairJudge;
import io.rewardgate.backend.RewardBackend;
import io.rewardgate.cache.CacheConfig;
import io.rewardgate.cache.CacheKey;
import io.rewardgate.cache.CacheMetrics;
import io.rewardgate.cache.ScoreCache;
import io.rewardgate.observability.RequestSpan;
import io.rewardgate.scoring.Conversation;
import io.rewardgate.scoring.Normalizer;
import io.rewardgate.scoring.RawScores;
import io.rewardgate.scoring.Score;
import io.rewardgate.scoring.Weights;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * The one scoring path behind every endpoint: the model asked for, its cache entry (with single-flight) in
 * front of its backend, then normalization and weighting of the raw scores for this request.
 */
@ApplicationScoped
public class ScoringService {

    private final ModelRegistry models;
    private final ScoreCache cache;
    private final ScoringMetrics metrics;
    private final CacheMetrics cacheMetrics;
    private final boolean shareAcrossKeys;

    @Inject
    public ScoringService(ModelRegistry models, ScoreCache cache, ScoringMetrics metrics, CacheMetrics cacheMetrics,
            CacheConfig config) {
        this.models = models;
        this.cache = cache;
        this.metrics = metrics;
        this.cacheMetrics = cacheMetrics;
        this.shareAcrossKeys = config.shareAcrossKeys();
    }

    /** The model of that id, the default one for {@code null}; an unknown id is an {@code UnknownModelException}. */
    public Model model(String id) {
        Model model = models.get(id);
        RequestSpan.model(model.id());
        return model;
    }

    /**
     * Scores the conversation's last assistant turn with {@code model} for {@code ask}: from the cache (with
     * single-flight) unless its policy bypasses it, a backend call made in its lane and only while it wants it
     * (otherwise it fails as {@link BackendException.Kind#ABANDONED}, its call not made).
     *
     * @param weightOverrides weights that replace the model's for this request; may be {@code null}
     */
    public Uni<Score> score(Model model, Conversation conversation, Map<String, Double> weightOverrides, Ask ask) {
        String scope = scope(ask);
        Normalizer normalizer = model.normalizer();
        Weights weights = normalizer.defaultWeights().overriddenBy(weightOverrides);
        RewardBackend backend = model.backend();
        ModelMismatchException mismatch = mismatch(model, conversation);
        if (mismatch == null && backend.pairJudge().isPresent()) {
            mismatch = new ModelMismatchException("model", "The model '" + model.id()
                    + "' compares pairs of responses: rank them with /v1/rankings.");
        }
        if (mismatch != null) {
            return Uni.createFrom().failure(mismatch);
        }
        return Uni.createFrom().deferred(() -> {
            CacheKey key = CacheKey.of(backend.id(), model.id(), backend.variant(), conversation, scope);
            ScoreCache.Lookup lookup = cache.get(key, ask.cache(), ask.wanted(),
                    anyoneWants -> callBackend(model, conversation, ask.lane(), anyoneWants));
            cacheMetrics.lookup(model.id(), lookup.outcome());
            return lookup.found().map(found -> new Score(backend.id(), model.id(), found.scores(),
                    normalizer.evaluate(found.scores(), weights), found.outcome()));
        })
                // Joined a call that its other callers gave up on just before it could start: look again.
                .onFailure(failure -> abandoned(failure) && ask.wanted().getAsBoolean()).retry().atMost(3);
    }

    /**
     * Each conversation scored by {@code model} for {@code ask}, at most {@code concurrency} at once; the
     * scores in the conversations' order. One that fails fails them all.
     */
    public Uni<List<Score>> scoreEach(Model model, List<Conversation> conversations, Ask ask, int concurrency) {
        return Multi.createFrom().range(0, conversations.size())
                .onItem().transformToUni(i -> score(model, conversations.get(i), null, ask)
                        .map(score -> Map.entry(i, score)))
                .merge(concurrency)
                .collect().asList()
                .map(scored -> scored.stream().sorted(Map.Entry.comparingByKey()).map(Map.Entry::getValue).toList());
    }

    /**
     * The responses of {@code candidates} (one context, each with another last response) scored by
     * {@code model}: one by one, or, for a pairwise judge, each by the mean of its scores in the judge's
     * comparisons, every comparison cached as a score is.
     */
    public Uni<List<Score>> rank(Model model, List<Conversation> candidates, Map<String, Double> weightOverrides,
            Ask ask) {
        Optional<PairJudge> pairs = model.backend().pairJudge();
        if (pairs.isEmpty()) {
            return Uni.join().all(candidates.stream()
                    .map(c -> score(model, c, weightOverrides, ask)).toList()).andFailFast();
        }
        return new PairwiseRanking(model, pairs.get(), cache, cacheMetrics, scope(ask),
                judge -> callBackend(model, judge)).rank(candidates, weightOverrides, ask);
    }

    /** Whose cache entries these are: everyone's, or the asking key's own. */
    private String scope(Ask ask) {
        return shareAcrossKeys ? null : ask.client();
    }

    /** A principle is only for a model that takes one; {@code null} when the request fits the model. */
    private static ModelMismatchException mismatch(Model model, Conversation conversation) {
        if (conversation.principle() != null && !model.backend().takesPrinciple()) {
            return new ModelMismatchException("principle", "The model '" + model.id() + "' is of kind "
                    + model.backend().id() + ", which takes no principle; only judge models do.");
        }
        return null;
    }

    private static boolean abandoned(Throwable failure) {
        return failure instanceof BackendException typed && typed.kind() == BackendException.Kind.ABANDONED;
    }

    /** Whether these overrides leave every weight of the model's attributes at zero. */
    public static boolean allWeightsZero(Model model, Map<String, Double> weightOverrides) {
        Weights weights = model.normalizer().defaultWeights().overriddenBy(weightOverrides);
        return model.normalizer().rewardBounds(model.attributes(), weights).degenerate();
    }

    /** Refusals by our own limits come by the thousand under overload: counted in metrics, logged at debug. */
    private static void log(Model model, Throwable failure) {
        if (abandoned(failure)) {
            return;
        }
        if (failure instanceof BackendException typed) {
            if (typed.kind() == BackendException.Kind.RATE_LIMITED || typed.kind() == BackendException.Kind.CIRCUIT_OPEN) {
                Log.debugf("The backend of model %s refused the call: %s: %s", model.id(), typed.kind(), typed.getMessage());
            } else {
                Log.warnf("The backend of model %s failed: %s: %s", model.id(), typed.kind(), typed.getMessage());
            }
        } else {
            Log.warnf(failure, "The backend of model %s failed unexpectedly", model.id());
        }
    }

    private Uni<RawScores> callBackend(Model model, Conversation conversation, Lane lane, BooleanSupplier wanted) {
        return callBackend(model, () -> model.backend().score(conversation, lane, wanted));
    }

    /** A backend call with its metrics and its log line on failure. */
    private Uni<RawScores> callBackend(Model model, Supplier<Uni<RawScores>> call) {
        return Uni.createFrom().deferred(() -> {
            long start = System.nanoTime();
            return call.get()
                    .onItem().invoke(scores -> metrics.scored(model.id(), scores))
                    .onFailure().invoke(failure -> log(model, failure))
                    .onTermination()
                    .invoke((scores, failure, cancelled) -> {
                        if (!abandoned(failure)) {
                            model.metrics().call(Duration.ofNanos(System.nanoTime() - start), failure);
                        }
                    });
        });
    }
}
