package io.rewardgate.backend.judge;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.rewardgate.backend.BackendFactory;
import io.rewardgate.backend.BackendSettings;
import io.rewardgate.backend.Resilience;
import io.rewardgate.backend.RewardBackend;

/** Models of kind {@code judge}: one attribute {@code score}; how they are asked from {@code judge.*} and {@code rewardgate.judge.*}. */
@ApplicationScoped
public class JudgeFactory implements BackendFactory {

    private final JudgeConfig judge;
    private final Defaults defaults;

    @Inject
    public JudgeFactory(JudgeConfig judge) {
        this.judge = judge;
        this.defaults = new Defaults(List.of("score"), false, true, Optional.empty(), Optional.empty(),
                Optional.empty(), 1, Duration.ZERO, "", List.of(), List.of("judge.*"));
    }

    @Override
    public String kind() {
        return JudgeBackend.KIND;
    }

    @Override
    public Defaults defaults() {
        return defaults;
    }

    @Override
    public RewardBackend create(BackendSettings settings, Supplier<Resilience> resilience) {
        Judging judging = Judging.resolve(settings, judge);
        return new JudgeBackend(settings, resilience.get(), judging);
    }
}
