package io.rewardgate.models;

import java.util.List;

import io.rewardgate.backend.BackendMetrics;
import io.rewardgate.backend.RewardBackend;
import io.rewardgate.scoring.Normalizer;

/**
 * One served model: its backend, and how its raw scores become normalized values and a reward.
 *
 * @param id what clients name it by, in {@code model} fields and {@code /v1/models}
 */
public record Model(String id, RewardBackend backend, Normalizer normalizer, BackendMetrics metrics) {

    /** The attributes the model reports, which request weights may name. */
    public List<String> attributes() {
        return backend.attributes();
    }
}
