package io.rewardgate.api;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Provider;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;

import io.rewardgate.scoring.Role;

/**
 * Exactly one input form; turns that start with the user, alternate, end with the assistant and are not
 * blank; at most {@code rewardgate.limits.max-chars} characters in all. Each violation names its field
 * ({@code messages[3].role}).
 */
@ApplicationScoped
public class ConversationValidator implements ConstraintValidator<ValidConversation, ConversationInput> {

    // Hibernate Validator sets validators up at static init, before runtime config exists: look it up late.
    private final Provider<LimitsConfig> limits;

    @Inject
    public ConversationValidator(Provider<LimitsConfig> limits) {
        this.limits = limits;
    }

    @Override
    public boolean isValid(ConversationInput input, ConstraintValidatorContext context) {
        if (input == null) {
            return true;
        }
        context.disableDefaultConstraintViolation();
        Violations violations = new Violations(context);
        boolean turnForm = input.prompt() != null || input.response() != null;
        if (turnForm && input.messages() != null) {
            violations.add("messages", "give either prompt and response, or messages, not both");
        } else if (turnForm) {
            checkTurn(input, violations);
        } else if (input.messages() != null) {
            checkMessages(input.messages(), violations);
        } else {
            violations.add("prompt", "give either prompt and response, or messages");
        }
        return violations.none();
    }

    private void checkTurn(ConversationInput input, Violations violations) {
        notBlank(input.prompt(), "prompt", violations);
        notBlank(input.response(), "response", violations);
        if (violations.none()) {
            int total = length(input.prompt()) + length(input.response());
            String longest = length(input.prompt()) >= length(input.response()) ? "prompt" : "response";
            checkTotal(total, longest, violations);
        }
    }

    private void checkMessages(List<MessageInput> messages, Violations violations) {
        if (messages.size() < 2) {
            violations.add("messages", "must hold at least a user turn and the assistant turn that is scored");
            return;
        }
        int total = 0;
        int longestIndex = 0;
        int longestLength = -1;
        for (int i = 0; i < messages.size(); i++) {
            MessageInput message = messages.get(i);
            String field = "messages[" + i + "]";
            if (message == null) {
                violations.add(field, "must not be null");
                continue;
            }
            Role expected = i % 2 == 0 ? Role.USER : Role.ASSISTANT;
            Role role = Role.fromWire(message.role());
            if (role == null) {
                violations.add(field + ".role", "must be 'user' or 'assistant'");
            } else if (role != expected) {
                violations.add(field + ".role",
                        "must be '" + expected.wire() + "': turns alternate, starting with user");
            }
            notBlank(message.content(), field + ".content", violations);
            int length = length(message.content());
            total += length;
            if (length > longestLength) {
                longestLength = length;
                longestIndex = i;
            }
        }
        if (messages.size() % 2 != 0) {
            violations.add("messages", "must end with an assistant turn, the one that is scored");
        }
        if (violations.none()) {
            checkTotal(total, "messages[" + longestIndex + "].content", violations);
        }
    }

    private void checkTotal(int total, String field, Violations violations) {
        if (total > limits.get().maxChars()) {
            violations.add(field, "the conversation has " + total + " characters, over the limit of "
                    + limits.get().maxChars());
        }
    }

    private static void notBlank(String value, String field, Violations violations) {
        if (value == null || value.isBlank()) {
            violations.add(field, "must not be blank");
        }
    }

    private static int length(String text) {
        return text == null ? 0 : text.codePointCount(0, text.length());
    }

    /**
     * Adds violations under the constraint's own path: a class-level constraint's path is the request, so
     * {@code field} is the whole client-facing name ({@code messages[3].role}); {@code null} adds none.
     */
    static final class Violations {
        private final ConstraintValidatorContext context;
        private boolean any;

        Violations(ConstraintValidatorContext context) {
            this.context = context;
        }

        void add(String field, String message) {
            any = true;
            var builder = context.buildConstraintViolationWithTemplate(escape(message));
            if (field == null) {
                builder.addConstraintViolation();
            } else {
                builder.addPropertyNode(field).addConstraintViolation();
            }
        }

        boolean none() {
            return !any;
        }

        /** Messages hold client text at times; braces and dollars must not be read as EL or parameters. */
        private static String escape(String message) {
            return message.replace("\\", "\\\\").replace("{", "\\{").replace("}", "\\}").replace("$", "\\$");
        }
    }
}
