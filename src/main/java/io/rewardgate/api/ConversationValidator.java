package io.rewardgate.api;

import java.util.List;
import java.util.function.BiConsumer;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Provider;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;

import io.rewardgate.problem.Problem;
import io.rewardgate.scoring.Role;

/**
 * Exactly one input form; turns that start with the user, alternate, end with the assistant and are not
 * blank; at most {@code rewardgate.limits.max-chars} characters in all. Each violation names its field
 * ({@code messages[3].role}).
 */
@ApplicationScoped
public class ConversationValidator implements ConstraintValidator<ValidConversation, ConversationInput> {

    private final LateLimits limits;

    @Inject
    public ConversationValidator(Provider<LimitsConfig> limits) {
        this.limits = new LateLimits(limits);
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
            notBlank(input.prompt(), "prompt", violations);
            notBlank(input.response(), "response", violations);
            if (violations.none()) {
                Size size = new Size();
                size.add("prompt", input.prompt());
                size.add("response", input.response());
                size.check(limits.get().maxChars(), violations);
            }
        } else if (input.messages() != null) {
            Size size = turns(input.messages(), Role.ASSISTANT, violations);
            if (violations.none()) {
                size.check(limits.get().maxChars(), violations);
            }
        } else {
            violations.add("prompt", "give either prompt and response, or messages");
        }
        return violations.none();
    }

    /**
     * Checks {@code messages}: user first, alternating, ending with {@code last}, no blank content. Returns
     * their size, for the caller to check once it has added any further text.
     */
    public static Size turns(List<MessageInput> messages, Role last, Violations violations) {
        Size size = new Size();
        int least = last == Role.ASSISTANT ? 2 : 1;
        if (messages.size() < least) {
            violations.add("messages", last == Role.ASSISTANT
                    ? "must hold at least a user turn and the assistant turn that is scored"
                    : "must hold at least the user turn that is answered");
            return size;
        }
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
            size.add(field + ".content", message.content());
        }
        Role actualLast = messages.size() % 2 == 0 ? Role.ASSISTANT : Role.USER;
        if (actualLast != last) {
            violations.add("messages", last == Role.ASSISTANT
                    ? "must end with an assistant turn, the one that is scored"
                    : "must end with a user turn, the one the responses answer");
        }
        return size;
    }

    public static void notBlank(String value, String field, Violations violations) {
        if (value == null || value.isBlank()) {
            violations.add(field, "must not be blank");
        }
    }

    /** Characters (code points) of a conversation, and its longest field: the one a violation names. */
    public static final class Size {
        private int total;
        private int longest = -1;
        private String longestField;

        public void add(String field, String text) {
            int length = text == null ? 0 : text.codePointCount(0, text.length());
            total += length;
            if (length > longest) {
                longest = length;
                longestField = field;
            }
        }

        public Size plus(String field, String text) {
            Size sum = new Size();
            sum.total = total;
            sum.longest = longest;
            sum.longestField = longestField;
            sum.add(field, text);
            return sum;
        }

        public void check(int maxChars, Violations violations) {
            if (total > maxChars) {
                violations.add(longestField,
                        "the conversation has " + total + " characters, over the limit of " + maxChars);
            }
        }
    }

    /**
     * Where violations go: under a constraint's own path (a class-level constraint's path is the request, so
     * {@code field} is the whole client-facing name, {@code messages[3].role}; {@code null} adds none), or
     * into a list for input checked in code.
     */
    public static final class Violations {
        private final BiConsumer<String, String> sink;
        private boolean any;

        public Violations(ConstraintValidatorContext context) {
            this.sink = (field, message) -> {
                var builder = context.buildConstraintViolationWithTemplate(escape(message));
                if (field == null) {
                    builder.addConstraintViolation();
                } else {
                    builder.addPropertyNode(field).addConstraintViolation();
                }
            };
        }

        public Violations(List<Problem.Violation> into) {
            this.sink = (field, message) -> into.add(new Problem.Violation(field == null ? "body" : field, message));
        }

        public void add(String field, String message) {
            any = true;
            sink.accept(field, message);
        }

        public boolean none() {
            return !any;
        }

        /** Messages hold client text at times; braces and dollars must not be read as EL or parameters. */
        private static String escape(String message) {
            return message.replace("\\", "\\\\").replace("{", "\\{").replace("}", "\\}").replace("$", "\\$");
        }
    }
}
