package io.rewardgate.backend.stub;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.rewardgate.scoring.Conversation;
import io.rewardgate.scoring.RawScores;

/**
 * A deterministic heuristic that stands in for a reward model: same conversation, same scores, every
 * attribute in [0, 4], rounded to a multiple of 1/64. It reads only the last user turn ({@code prompt}) and
 * the scored assistant turn ({@code response}).
 *
 * <p>With {@code p} the prompt's words, {@code r} the response's words (letters and digits, lower-cased),
 * {@code n = |r|}:
 * <ul>
 *   <li>{@code x = n / (12 + 4|p|)}: the response's length relative to what was asked;</li>
 *   <li>{@code rel}: the share of the prompt's content words (4 letters or more) found in the response,
 *       0.5 when the prompt has none;</li>
 *   <li>{@code form} in [0, 1]: 0.4 if it starts with a capital (or a non-letter), 0.4 if it ends with
 *       {@code . ! ? : ) " ' `}, 0.2 if its brackets balance;</li>
 *   <li>{@code distinct}: distinct words over all words.</li>
 * </ul>
 * Then helpfulness {@code = 4(0.5 rel + 0.25 form + 0.25 min(1, x))}, correctness
 * {@code = 4(0.2 + 0.5 rel + 0.3 form)}, coherence {@code = 4(0.5 form + 0.5 distinct)}, complexity
 * {@code = 4 clamp((mean word length - 3) / 6)}, verbosity {@code = 4x / (1 + x)}. An empty response
 * scores 0 on all but correctness.
 */
final class StubScorer {

    static final List<String> ATTRIBUTES =
            List.of("helpfulness", "correctness", "coherence", "complexity", "verbosity");

    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}]+");
    private static final String CLOSERS = ".!?:)\"'`";

    private StubScorer() {}

    static RawScores score(Conversation conversation) {
        String prompt = conversation.lastPrompt().content();
        String response = conversation.scoredTurn().content().strip();
        List<String> promptWords = words(prompt);
        List<String> responseWords = words(response);
        int n = responseWords.size();

        double x = n / (12.0 + 4.0 * promptWords.size());
        double relevance = relevance(promptWords, new HashSet<>(responseWords));
        double form = n == 0 ? 0 : form(response);
        double distinct = n == 0 ? 0 : (double) new HashSet<>(responseWords).size() / n;
        double meanLength = n == 0 ? 0 : responseWords.stream().mapToInt(String::length).average().orElse(0);

        Map<String, Double> scores = new LinkedHashMap<>();
        scores.put("helpfulness", quantize(4 * (0.5 * relevance + 0.25 * form + 0.25 * Math.min(1, x))));
        scores.put("correctness", quantize(4 * (0.2 + 0.5 * relevance + 0.3 * form)));
        scores.put("coherence", quantize(4 * (0.5 * form + 0.5 * distinct)));
        scores.put("complexity", quantize(4 * clamp01((meanLength - 3) / 6)));
        scores.put("verbosity", quantize(4 * x / (1 + x)));
        return new RawScores(scores);
    }

    static List<String> words(String text) {
        Matcher matcher = WORD.matcher(text.toLowerCase(Locale.ROOT));
        List<String> words = new ArrayList<>();
        while (matcher.find()) {
            words.add(matcher.group());
        }
        return words;
    }

    private static double relevance(List<String> promptWords, Set<String> responseWords) {
        Set<String> content = new HashSet<>();
        for (String word : promptWords) {
            if (word.codePointCount(0, word.length()) >= 4) {
                content.add(word);
            }
        }
        if (content.isEmpty()) {
            return responseWords.isEmpty() ? 0 : 0.5;
        }
        long found = content.stream().filter(responseWords::contains).count();
        return (double) found / content.size();
    }

    private static double form(String response) {
        double form = 0;
        int first = response.codePoints().filter(Character::isLetterOrDigit).findFirst().orElse('a');
        if (!Character.isLowerCase(first)) {
            form += 0.4;
        }
        if (CLOSERS.indexOf(response.charAt(response.length() - 1)) >= 0) {
            form += 0.4;
        }
        if (balanced(response)) {
            form += 0.2;
        }
        return form;
    }

    private static boolean balanced(String text) {
        ArrayDeque<Character> open = new ArrayDeque<>();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '(', '[', '{' -> open.push(c);
                case ')', ']', '}' -> {
                    char expected = c == ')' ? '(' : c == ']' ? '[' : '{';
                    if (open.isEmpty() || open.pop() != expected) {
                        return false;
                    }
                }
                default -> { }
            }
        }
        return open.isEmpty();
    }

    private static double clamp01(double value) {
        return Math.max(0, Math.min(1, value));
    }

    /** Multiples of 1/64 print exactly in JSON, as the real model's bfloat16 outputs do. */
    private static double quantize(double value) {
        return Math.round(value * 64) / 64.0;
    }
}
