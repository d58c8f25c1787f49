package io.rewardgate.backend.vllm;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** How a process reward model's step scores become one reward. */
enum StepReduce {

    /** The weakest step: a solution is as good as its worst step (the usual choice for best-of-N). */
    MIN {
        @Override
        double of(double[] steps) {
            return Arrays.stream(steps).min().orElseThrow();
        }
    },
    /** The last step's score, which sees the whole solution. */
    LAST {
        @Override
        double of(double[] steps) {
            return steps[steps.length - 1];
        }
    },
    MEAN {
        @Override
        double of(double[] steps) {
            return Arrays.stream(steps).average().orElseThrow();
        }
    };

    abstract double of(double[] steps);

    static List<String> names() {
        return Arrays.stream(values()).map(StepReduce::wire).toList();
    }

    String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
