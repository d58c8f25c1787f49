package io.rewardgate.backend;

import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;

import io.rewardgate.scoring.Conversation;
import io.rewardgate.scoring.RawScores;
import io.smallrye.mutiny.Uni;

/**
 * A reward model that rates the last assistant turn of a conversation.
 *
 * <p>Implementations are non-blocking: {@link #score} returns at once and completes when the model has
 * answered. They fail only with {@link BackendException}, typed by what went wrong, so that callers never
 * need to know which backend they talk to.
 */
public interface RewardBackend {

    /** The backend's name as configured and reported ({@code stub}, {@code nvidia}); part of the cache key. */
    String id();

    /** The model's name as reported to clients; part of the cache key. */
    String model();

    /** The attributes this backend is expected to report, in its order; request weights may name only these. */
    List<String> attributes();

    /**
     * What else changes this backend's answers beside the model's id (the upstream model, a chat template, a
     * judge's prompt and scale), in any stable encoding; part of the cache key, so that a changed setting never
     * serves the scores of the old one. Empty for a backend whose answers only the id decides.
     */
    default String variant() {
        return "";
    }

    /** Whether a request's {@code principle} goes into this backend's judgment (a judge's prompt). */
    default boolean takesPrinciple() {
        return false;
    }

    /** The pairwise judge this backend is, when it compares responses rather than scoring one at a time. */
    default Optional<PairJudge> pairJudge() {
        return Optional.empty();
    }

    /** Whether the backend can serve at all (for example, an API key is set); {@code null} when it can. */
    String unusableReason();

    /**
     * Whether the backend can serve, asked of the server itself where it has a health endpoint: {@code null}
     * when it can, else why not. Readiness calls it, a few times a minute; it never fails.
     */
    default Uni<String> probe() {
        return Uni.createFrom().item(this::unusableReason);
    }

    /**
     * Rates the conversation's last assistant turn.
     *
     * @param lane whose call it is: a batch line yields to interactive callers where the backend has limits
     * @param wanted asked when the call could start (it had a permit and a token): once it says no, the call is
     *     not made and the result is a failure of kind {@link BackendException.Kind#ABANDONED}
     * @return the raw scores, or a failure with a {@link BackendException}
     */
    Uni<RawScores> score(Conversation conversation, Lane lane, BooleanSupplier wanted);

    /** Rates the conversation's last assistant turn for a caller that wants it whatever happens. */
    default Uni<RawScores> score(Conversation conversation, Lane lane) {
        return score(conversation, lane, () -> true);
    }
}
