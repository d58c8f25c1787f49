package io.rewardgate.backend.openrlhf;

import java.util.List;

/** OpenRLHF's remote reward request: each query is its prompt followed by the response; no labels are sent. */
record RewardRequest(List<String> query, List<String> prompts, List<String> labels) {}
