package io.rewardgate.api.rankings;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Provider;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;

import io.rewardgate.api.ConversationValidator;
import io.rewardgate.api.ConversationValidator.Size;
import io.rewardgate.api.ConversationValidator.Violations;
import io.rewardgate.api.LateLimits;
import io.rewardgate.api.LimitsConfig;
import io.rewardgate.scoring.Role;

/**
 * Exactly one of {@code prompt} and {@code messages} (ending with a user turn); 2 to
 * {@code rewardgate.limits.max-rankings} responses, none blank; each candidate conversation within
 * {@code rewardgate.limits.max-chars}.
 */
@ApplicationScoped
public class RankingValidator implements ConstraintValidator<ValidRanking, RankingRequest> {

    private final LateLimits limits;

    @Inject
    public RankingValidator(Provider<LimitsConfig> limits) {
        this.limits = new LateLimits(limits);
    }

    @Override
    public boolean isValid(RankingRequest request, ConstraintValidatorContext context) {
        if (request == null) {
            return true;
        }
        context.disableDefaultConstraintViolation();
        Violations violations = new Violations(context);
        Size contextSize = new Size();
        if (request.prompt() != null && request.messages() != null) {
            violations.add("messages", "give either prompt or messages, not both");
        } else if (request.messages() != null) {
            contextSize = ConversationValidator.turns(request.messages(), Role.USER, violations);
        } else {
            ConversationValidator.notBlank(request.prompt(), "prompt", violations);
            contextSize.add("prompt", request.prompt());
        }
        List<String> responses = request.responses();
        LimitsConfig settings = limits.get();
        int max = settings.maxRankings();
        if (responses == null || responses.size() < 2 || responses.size() > max) {
            violations.add("responses", "must hold 2 to " + max + " responses");
            return false;
        }
        for (int i = 0; i < responses.size(); i++) {
            ConversationValidator.notBlank(responses.get(i), "responses[" + i + "]", violations);
        }
        if (violations.none()) {
            for (int i = 0; i < responses.size(); i++) {
                contextSize.plus("responses[" + i + "]", responses.get(i)).check(settings.maxChars(), violations);
            }
        }
        return violations.none();
    }
}
