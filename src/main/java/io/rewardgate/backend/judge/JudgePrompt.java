package io.rewardgate.backend.judge;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.rewardgate.scoring.Conversation;
import io.rewardgate.scoring.Message;

/**
 * The pointwise prompt: the model's template with its placeholders filled. A line that holds
 * {@code {principle}} is left out when there is no principle, so that one template serves both.
 */
final class JudgePrompt {

    /** An absolute-grading rubric in the manner of Prometheus 2, its verdict as {@code [RESULT] n}. */
    static final String DEFAULT = """
            You are a fair judge of an AI assistant's answer. Read the conversation, then grade the assistant's \
            last response on a scale of {min} to {max}.

            ###Conversation:
            {conversation}

            ###Response to evaluate:
            {response}

            ###Principle to judge by: {principle}

            ###Score rubric:
            Is the response helpful, correct, complete and clear for the user's last request?
            Score 1: The response is unhelpful, wrong or off-topic.
            Score 2: The response addresses the request but has major errors or omissions.
            Score 3: The response is partly correct and helpful, with notable gaps.
            Score 4: The response is correct and helpful, with minor issues.
            Score 5: The response is correct, complete, clear and as helpful as it can be.

            Write brief feedback that assesses the response strictly by the rubric, then end with the line \
            "[RESULT] n", where n is an integer from {min} to {max}.""";

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{(prompt|response|conversation|principle|min|max)}");

    private JudgePrompt() {}

    static String fill(String template, Conversation conversation, String principle, double min, double max) {
        String lines = principle != null ? template : template.lines()
                .filter(line -> !line.contains("{principle}"))
                .collect(Collectors.joining("\n"));
        Map<String, String> values = Map.of(
                "prompt", conversation.lastPrompt().content(),
                "response", conversation.scoredTurn().content(),
                "conversation", transcript(conversation),
                "principle", principle == null ? "" : principle,
                "min", number(min),
                "max", number(max));
        // One pass, so that a placeholder written inside the conversation stays as the user wrote it.
        return PLACEHOLDER.matcher(lines).replaceAll(found -> Matcher.quoteReplacement(values.get(found.group(1))));
    }

    /** Every turn, each as {@code User: ...} or {@code Assistant: ...}, a blank line between them. */
    static String transcript(Conversation conversation) {
        return conversation.messages().stream()
                .map(message -> label(message) + ": " + message.content())
                .collect(Collectors.joining("\n\n"));
    }

    private static String label(Message message) {
        String role = message.role().wire();
        return Character.toUpperCase(role.charAt(0)) + role.substring(1);
    }

    static String number(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }
}
