package io.rewardgate.api.scores;

import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.rewardgate.api.LimitsConfig;
import io.rewardgate.api.problem.Problems;
import io.rewardgate.models.Ask;
import io.rewardgate.models.Model;
import io.rewardgate.models.ScoringService;
import io.rewardgate.scoring.Conversation;
import io.rewardgate.scoring.Score;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * Scores read items through {@link ScoringService}, each into its result or its error: the loop behind
 * batches and streams. It never fails; the backend's own limits bound what reaches it.
 */
@ApplicationScoped
public class ItemScoring {

    private final ScoringService scoring;
    private final LimitsConfig limits;

    @Inject
    public ItemScoring(ScoringService scoring, LimitsConfig limits) {
        this.scoring = scoring;
        this.limits = limits;
    }

    /** Every item's result, in input order; identical conversations are scored once. */
    public Uni<List<ItemResult>> batch(Model model, List<ItemReader.Item> items, Map<String, Double> weights,
            Ask ask) {
        Map<Conversation, Uni<Score>> once = new HashMap<>();
        for (ItemReader.Item item : items) {
            if (item.conversation() != null) {
                once.computeIfAbsent(item.conversation(),
                        c -> scoring.score(model, c, weights, ask).memoize().indefinitely());
            }
        }
        return Multi.createFrom().iterable(items)
                .onItem().transformToUni(item -> result(item, once::get))
                .merge(limits.itemConcurrency())
                .collect().asList()
                .map(results -> results.stream().sorted(Comparator.comparingLong(ItemResult::index)).toList());
    }

    /** One item's result. */
    public Uni<ItemResult> one(Model model, ItemReader.Item item, Ask ask) {
        return result(item, c -> scoring.score(model, c, null, ask));
    }

    private static Uni<ItemResult> result(ItemReader.Item item, Function<Conversation, Uni<Score>> score) {
        if (item.problem() != null) {
            return Uni.createFrom().item(ItemResult.failed(item.index(), item.id(), item.problem()));
        }
        return score.apply(item.conversation())
                .map(s -> ItemResult.scored(item.index(), item.id(), s))
                .onFailure().recoverWithItem(e -> ItemResult.failed(item.index(), item.id(), Problems.of(e)));
    }
}
