package io.rewardgate.backend.stub;

import java.util.List;
import java.util.function.BooleanSupplier;

import io.rewardgate.backend.Lane;
import io.rewardgate.backend.RewardBackend;
import io.rewardgate.scoring.Conversation;
import io.rewardgate.scoring.RawScores;
import io.smallrye.mutiny.Uni;

/** The embedded default: scores in-process with {@link StubScorer}, no network, microseconds per call. */
public class StubBackend implements RewardBackend {

    public static final String KIND = "stub";
    /** The model's id when the single-model keys configure the stub. */
    public static final String MODEL = "rewardgate/stub-heuristic";

    private final String model;

    public StubBackend(String model) {
        this.model = model;
    }

    @Override
    public String id() {
        return KIND;
    }

    @Override
    public String model() {
        return model;
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
    public Uni<RawScores> score(Conversation conversation, Lane lane, BooleanSupplier wanted) {
        return Uni.createFrom().item(() -> StubScorer.score(conversation));
    }
}
