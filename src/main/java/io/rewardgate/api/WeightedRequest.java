package io.rewardgate.api;

import java.util.Map;

/** A request that names a model (or none, for the default) and may override its weights. */
public interface WeightedRequest {

    /** The model's id; {@code null} for the default model. */
    String model();

    /** Weights that replace the model's for this request; {@code null} for none. */
    Map<String, Double> weights();
}
