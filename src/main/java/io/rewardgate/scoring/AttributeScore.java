package io.rewardgate.scoring;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One attribute's raw score and its value in [0, 1]. */
@Schema(description = "One attribute's score.", requiredProperties = {"raw", "normalized"})
public record AttributeScore(
        @Schema(description = "The backend's number, unchanged (nominally 0..4).", examples = "3.0234375") double raw,
        @Schema(description = "The raw score mapped into [0, 1] by the configured strategy.", examples = "0.755859375")
                double normalized) {}
