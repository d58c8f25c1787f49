package io.rewardgate.models;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

import io.rewardgate.backend.PairJudge;
import io.rewardgate.cache.CacheKey;
import io.rewardgate.cache.CacheMetrics;
import io.rewardgate.cache.ScoreCache;
import io.rewardgate.scoring.CacheOutcome;
import io.rewardgate.scoring.Conversation;
import io.rewardgate.scoring.RawScores;
import io.rewardgate.scoring.Score;
import io.rewardgate.scoring.Weights;
import io.smallrye.mutiny.Uni;

/**
 * One ranking by a pairwise judge: the judge's comparisons made (each cached under both responses, in the
 * order shown, so that the same comparison is never judged twice), and each response given the mean of its
 * scores in them as the judge's attribute. A response's cache outcome is {@code HIT} when all its comparisons
 * were, {@code BYPASS} when the request asked for fresh ones.
 */
final class PairwiseRanking {

    private final Model model;
    private final PairJudge judge;
    private final ScoreCache cache;
    private final CacheMetrics cacheMetrics;
    private final String scope;
    private final Function<Supplier<Uni<RawScores>>, Uni<RawScores>> call;

    PairwiseRanking(Model model, PairJudge judge, ScoreCache cache, CacheMetrics cacheMetrics, String scope,
            Function<Supplier<Uni<RawScores>>, Uni<RawScores>> call) {
        this.model = model;
        this.judge = judge;
        this.cache = cache;
        this.cacheMetrics = cacheMetrics;
        this.scope = scope;
        this.call = call;
    }

    Uni<List<Score>> rank(List<Conversation> candidates, Map<String, Double> weightOverrides, Ask ask) {
        List<int[]> comparisons = judge.comparisons(candidates.size());
        List<Uni<ScoreCache.Found>> judged = comparisons.stream()
                .map(pair -> compare(candidates.get(pair[0]), candidates.get(pair[1]), ask))
                .toList();
        CacheOutcome notFound = ask.cache().bypasses() ? CacheOutcome.BYPASS : CacheOutcome.MISS;
        return Uni.join().all(judged).andFailFast().map(found -> scores(candidates.size(), comparisons, found,
                model.normalizer().defaultWeights().overriddenBy(weightOverrides), notFound));
    }

    private Uni<ScoreCache.Found> compare(Conversation first, Conversation second, Ask ask) {
        return Uni.createFrom().deferred(() -> {
            String against = model.backend().variant() + "\u0000pair\u0000" + second.scoredTurn().content();
            CacheKey key = CacheKey.of(model.backend().id(), model.id(), against, first, scope);
            ScoreCache.Lookup lookup = cache.get(key, ask.cache(), ask.wanted(),
                    anyoneWants -> call.apply(() -> judge.compare(first, second, ask.lane(), anyoneWants)));
            cacheMetrics.lookup(model.id(), lookup.outcome());
            return lookup.found();
        });
    }

    /** @param notFound the outcome of a response not all of whose comparisons were in the cache */
    private List<Score> scores(int responses, List<int[]> comparisons, List<ScoreCache.Found> found, Weights weights,
            CacheOutcome notFound) {
        List<List<Double>> byResponse = new ArrayList<>();
        boolean[] missed = new boolean[responses];
        for (int i = 0; i < responses; i++) {
            byResponse.add(new ArrayList<>());
        }
        for (int c = 0; c < comparisons.size(); c++) {
            int[] pair = comparisons.get(c);
            Map<String, Double> judged = found.get(c).scores().values();
            byResponse.get(pair[0]).add(judged.get("score_1"));
            byResponse.get(pair[1]).add(judged.get("score_2"));
            if (found.get(c).outcome() != CacheOutcome.HIT) {
                missed[pair[0]] = true;
                missed[pair[1]] = true;
            }
        }
        List<Score> scores = new ArrayList<>(responses);
        for (int i = 0; i < responses; i++) {
            double mean = byResponse.get(i).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
            RawScores raw = new RawScores(Map.of(judge.attribute(), mean));
            scores.add(new Score(model.backend().id(), model.id(), raw, model.normalizer().evaluate(raw, weights),
                    missed[i] ? notFound : CacheOutcome.HIT));
        }
        return scores;
    }
}
