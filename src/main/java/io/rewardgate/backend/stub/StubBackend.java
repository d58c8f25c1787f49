package io.rewardgate.backend.stub;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.rewardgate.backend.Lane;
import io.rewardgate.backend.RewardBackend;
import io.rewardgate.scoring.Conversation;
import io.rewardgate.scoring.RawScores;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Uni;

/** The embedded default: scores in-process with {@link StubScorer}, no network, microseconds per call. */
@ApplicationScoped
@Identifier("stub")
public class StubBackend implements RewardBackend {

    static final String MODEL = "rewardgate/stub-heuristic";

    @Override
    public String id() {
        return "stub";
    }

    @Override
    public String model() {
        return MODEL;
    }

    @Override
    public List<String> attributes() {
        return StubScorer.ATTRIBUTES;
    }

    @Override
    public String unusableReason() {
        return null;
    }

    @Override
    public Uni<RawScores> score(Conversation conversation, Lane lane) {
        return Uni.createFrom().item(() -> StubScorer.score(conversation));
    }
}
