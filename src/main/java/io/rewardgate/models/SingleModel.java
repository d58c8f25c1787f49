package io.rewardgate.models;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

import io.rewardgate.backend.KindOptions;
import io.rewardgate.backend.Tunable;
import io.rewardgate.backend.nvidia.NvidiaConfig;
import io.rewardgate.scoring.ScoringConfig;

/**
 * The model that the single-model keys make when {@code rewardgate.models} names none: of kind
 * {@code rewardgate.backend}, with every setting left to the defaults those keys hold.
 */
record SingleModel(Optional<String> kind, Optional<String> name) implements ModelsConfig.ModelConfig {

    SingleModel(String kind, String id) {
        this(Optional.of(kind), Optional.of(id));
    }

    @Override
    public Optional<String> baseUrl() {
        return Optional.empty();
    }

    @Override
    public Optional<String> apiKey() {
        return Optional.empty();
    }

    @Override
    public Optional<String> upstreamModel() {
        return Optional.empty();
    }

    @Override
    public Optional<List<String>> attributes() {
        return Optional.empty();
    }

    @Override
    public Map<String, Double> weights() {
        return Map.of();
    }

    @Override
    public Optional<ScoringConfig.Normalization> normalization() {
        return Optional.empty();
    }

    @Override
    public Optional<Duration> timeout() {
        return Optional.empty();
    }

    @Override
    public Optional<Duration> connectTimeout() {
        return Optional.empty();
    }

    @Override
    public Optional<Tunable> maxConcurrency() {
        return Optional.empty();
    }

    @Override
    public OptionalInt minConcurrency() {
        return OptionalInt.empty();
    }

    @Override
    public OptionalInt maxConcurrencyLimit() {
        return OptionalInt.empty();
    }

    @Override
    public Optional<Tunable> requestsPerMinute() {
        return Optional.empty();
    }

    @Override
    public OptionalInt burst() {
        return OptionalInt.empty();
    }

    @Override
    public Optional<Duration> maxQueueWait() {
        return Optional.empty();
    }

    @Override
    public OptionalInt maxQueue() {
        return OptionalInt.empty();
    }

    @Override
    public Optional<Duration> trainerQueueWait() {
        return Optional.empty();
    }

    @Override
    public OptionalInt trainerMaxQueue() {
        return OptionalInt.empty();
    }

    @Override
    public OptionalDouble batchShare() {
        return OptionalDouble.empty();
    }

    @Override
    public Optional<NvidiaConfig.Retry> retry() {
        return Optional.empty();
    }

    @Override
    public Optional<NvidiaConfig.CircuitBreaker> circuitBreaker() {
        return Optional.empty();
    }

    @Override
    public OptionalInt maxBatchSize() {
        return OptionalInt.empty();
    }

    @Override
    public Optional<Duration> maxBatchWait() {
        return Optional.empty();
    }

    @Override
    public Optional<String> chatTemplate() {
        return Optional.empty();
    }

    @Override
    public KindOptions options() {
        return NoOptions.INSTANCE;
    }

    /** The single-model keys set none of the kinds' own keys. */
    private enum NoOptions implements KindOptions, KindOptions.Judge {
        INSTANCE;

        @Override
        public Optional<String> rewardType() {
            return Optional.empty();
        }

        @Override
        public Optional<String> stepSeparator() {
            return Optional.empty();
        }

        @Override
        public Optional<String> stepTag() {
            return Optional.empty();
        }

        @Override
        public Optional<String> stepReduce() {
            return Optional.empty();
        }

        @Override
        public Judge judge() {
            return this;
        }

        @Override
        public Optional<String> mode() {
            return Optional.empty();
        }

        @Override
        public Optional<String> prompt() {
            return Optional.empty();
        }

        @Override
        public Optional<String> verdict() {
            return Optional.empty();
        }

        @Override
        public OptionalDouble min() {
            return OptionalDouble.empty();
        }

        @Override
        public OptionalDouble max() {
            return OptionalDouble.empty();
        }

        @Override
        public OptionalInt parseRetries() {
            return OptionalInt.empty();
        }

        @Override
        public OptionalInt samples() {
            return OptionalInt.empty();
        }

        @Override
        public OptionalDouble temperature() {
            return OptionalDouble.empty();
        }

        @Override
        public Optional<String> scoring() {
            return Optional.empty();
        }

        @Override
        public Optional<String> principle() {
            return Optional.empty();
        }

        @Override
        public Optional<String> pairing() {
            return Optional.empty();
        }

        @Override
        public OptionalInt votes() {
            return OptionalInt.empty();
        }

        @Override
        public OptionalInt maxTokens() {
            return OptionalInt.empty();
        }
    }
}
