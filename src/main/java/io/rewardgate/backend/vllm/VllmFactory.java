package io.rewardgate.backend.vllm;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.rewardgate.backend.BackendFactory;
import io.rewardgate.backend.BackendSettings;
import io.rewardgate.backend.ChatTemplate;
import io.rewardgate.backend.KindOptions;
import io.rewardgate.backend.Resilience;
import io.rewardgate.backend.RewardBackend;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * Models of kind {@code vllm}: one attribute {@code reward} unless the model names its heads; no chat template
 * (the server applies the model's own) unless the model sets one; batching and process steps from
 * {@code rewardgate.vllm.*}.
 */
@ApplicationScoped
public class VllmFactory implements BackendFactory {

    private final VllmConfig vllm;
    private final Defaults defaults;

    @Inject
    public VllmFactory(VllmConfig vllm) {
        this.vllm = vllm;
        this.defaults = new Defaults(List.of("reward"), false, true, Optional.empty(), Optional.empty(),
                Optional.empty(), vllm.maxBatchSize(), vllm.maxBatchWait(), "", ChatTemplate.names(),
                List.of("reward-type", "step-separator", "step-tag", "step-reduce"));
    }

    @Override
    public String kind() {
        return VllmBackend.KIND;
    }

    @Override
    public Defaults defaults() {
        return defaults;
    }

    @Override
    public RewardBackend create(BackendSettings settings, Supplier<Resilience> resilience) {
        VllmBackend.Mode mode = mode(settings);
        return new VllmBackend(settings, resilience.get(), mode, Infrastructure.getDefaultWorkerPool());
    }

    /** The model's way of being asked; a value that cannot serve stops the start naming its key. */
    VllmBackend.Mode mode(BackendSettings settings) {
        KindOptions options = settings.options();
        String type = options.rewardType().map(t -> t.strip().toLowerCase(Locale.ROOT)).orElse("reward");
        if (!type.equals("reward") && !type.equals("process")) {
            throw settings.invalid("reward-type", "is '" + type + "'; it is reward or process");
        }
        String reduce = options.stepReduce().orElse(vllm.stepReduce()).strip().toLowerCase(Locale.ROOT);
        if (!StepReduce.names().contains(reduce)) {
            throw settings.invalid("step-reduce", "is '" + reduce + "'; known: " + String.join(", ", StepReduce.names()));
        }
        String separator = options.stepSeparator().orElse(vllm.stepSeparator());
        String tag = options.stepTag().orElse(vllm.stepTag());
        boolean process = type.equals("process");
        if (process && (separator.isEmpty() || tag.isBlank())) {
            throw settings.invalid("step-separator", "and step-tag must not be empty for reward-type=process");
        }
        if (process && settings.attributes().size() != 1) {
            throw settings.invalid("attributes", "names " + settings.attributes().size() + " attributes; a process "
                    + "reward model reports one");
        }
        return new VllmBackend.Mode(process, separator, tag, StepReduce.valueOf(reduce.toUpperCase(Locale.ROOT)));
    }
}
