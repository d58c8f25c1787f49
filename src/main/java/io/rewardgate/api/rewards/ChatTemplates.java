package io.rewardgate.api.rewards;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.rewardgate.scoring.Conversation;
import io.rewardgate.scoring.Message;
import io.rewardgate.scoring.Role;

/**
 * Turns a trainer's templated text back into the conversation it was made from: the prompt as the trainer's
 * chat template rendered it (its generation header included), and the response the policy wrote after it.
 * Understood: ChatML ({@code <|im_start|>role ... <|im_end|>}: Qwen, Yi, many others), Llama 3
 * ({@code <|start_header_id|>role<|end_header_id|> ... <|eot_id|>}), Gemma ({@code <start_of_turn>user ...
 * <end_of_turn>}, {@code model} being the assistant), and Mistral and Llama 2 ({@code [INST] ... [/INST]}).
 * Text with none of their markers is plain text: the whole prompt is the user's one turn. System turns are
 * left out (the reward model rates user and assistant turns), turns of one role in a row are joined, and the
 * end-of-turn, end-of-text and padding tokens around the response are dropped.
 */
public final class ChatTemplates {

    /** A conversation recovered, and the template it was written in. */
    public record Parsed(Conversation conversation, String template) {}

    /** Why a prompt cannot be read as a conversation, in words for the caller. */
    public static final class Unreadable extends Exception {
        Unreadable(String message) {
            super(message, null, false, false);
        }
    }

    private static final List<String> END_TOKENS = List.of("<|im_end|>", "<|endoftext|>", "<|eot_id|>",
            "<|end_of_text|>", "<end_of_turn>", "<eos>", "</s>", "<pad>", "<|finetune_right_pad_id|>");
    private static final List<String> START_TOKENS = List.of("<|begin_of_text|>", "<bos>", "<s>", "<|endoftext|>",
            "<pad>", "<|finetune_right_pad_id|>");
    private static final Pattern CHATML = Pattern.compile("<\\|im_start\\|>([^\\n]*)\\n(.*?)(?:<\\|im_end\\|>|$)",
            Pattern.DOTALL);
    private static final Pattern LLAMA3 = Pattern.compile(
            "<\\|start_header_id\\|>(.*?)<\\|end_header_id\\|>(.*?)(?:<\\|eot_id\\|>|$)", Pattern.DOTALL);
    private static final Pattern GEMMA = Pattern.compile("<start_of_turn>([^\\n]*)\\n(.*?)(?:<end_of_turn>|$)",
            Pattern.DOTALL);
    private static final Pattern INST = Pattern.compile("\\[INST\\](.*?)\\[/INST\\](.*?)(?=\\[INST\\]|$)",
            Pattern.DOTALL);
    private static final Pattern LLAMA2_SYSTEM = Pattern.compile("<<SYS>>.*?<</SYS>>", Pattern.DOTALL);

    private ChatTemplates() {}

    /**
     * The conversation of {@code query}, the prompt and response as one text, where {@code prompt} is the
     * prompt's part; a {@code null} prompt takes the last assistant turn of the query as the response.
     */
    public static Parsed parse(String query, String prompt) throws Unreadable {
        String text = withoutLeading(query);
        if (prompt == null) {
            return parseWhole(text);
        }
        String head = withoutLeading(prompt);
        if (!text.startsWith(head)) {
            throw new Unreadable("is not the start of its query: the query must be the prompt followed by the response");
        }
        String response = withoutTrailing(text.substring(head.length()));
        String template = template(head);
        List<Message> turns = new ArrayList<>(template.equals("plain")
                ? List.of(Message.user(head.strip()))
                : turns(head, template));
        // The generation header (an empty assistant turn) closes a templated prompt; what follows answers it.
        if (!turns.isEmpty() && turns.get(turns.size() - 1).role() == Role.ASSISTANT
                && turns.get(turns.size() - 1).content().isEmpty()) {
            turns.remove(turns.size() - 1);
        }
        turns.add(Message.assistant(response));
        return new Parsed(conversation(turns), template);
    }

    private static Parsed parseWhole(String query) throws Unreadable {
        String template = template(query);
        if (template.equals("plain")) {
            throw new Unreadable("has no chat template to tell its prompt from its response: send prompts");
        }
        List<Message> turns = new ArrayList<>(turns(query, template));
        if (turns.isEmpty() || turns.get(turns.size() - 1).role() != Role.ASSISTANT) {
            throw new Unreadable("does not end with an assistant turn: send prompts");
        }
        Message last = turns.remove(turns.size() - 1);
        turns.add(Message.assistant(withoutTrailing(last.content())));
        return new Parsed(conversation(turns), template);
    }

    /** The template whose markers the text holds; {@code plain} for none. */
    static String template(String text) {
        if (text.contains("<|im_start|>")) {
            return "chatml";
        }
        if (text.contains("<|start_header_id|>")) {
            return "llama3";
        }
        if (text.contains("<start_of_turn>")) {
            return "gemma";
        }
        if (text.contains("[INST]")) {
            return "mistral";
        }
        return "plain";
    }

    private static List<Message> turns(String text, String template) throws Unreadable {
        List<Message> turns = new ArrayList<>();
        if (template.equals("mistral")) {
            Matcher pair = INST.matcher(text);
            while (pair.find()) {
                add(turns, Role.USER, LLAMA2_SYSTEM.matcher(pair.group(1)).replaceAll(""));
                add(turns, Role.ASSISTANT, withoutTrailing(pair.group(2)));
            }
            return turns;
        }
        Matcher turn = (switch (template) {
            case "chatml" -> CHATML;
            case "llama3" -> LLAMA3;
            default -> GEMMA;
        }).matcher(text);
        while (turn.find()) {
            String role = turn.group(1).strip().toLowerCase(Locale.ROOT);
            switch (role) {
                case "user" -> add(turns, Role.USER, turn.group(2));
                case "assistant", "model" -> add(turns, Role.ASSISTANT, turn.group(2));
                case "system" -> {
                    // Not a turn the reward model rates.
                }
                default -> throw new Unreadable("has a turn of role '" + role + "', which is neither user, assistant"
                        + " nor system");
            }
        }
        return turns;
    }

    /** Adds a turn, joined to the one before when it is of the same role; an empty assistant turn stays empty. */
    private static void add(List<Message> turns, Role role, String content) {
        String text = content.strip();
        if (!turns.isEmpty() && turns.get(turns.size() - 1).role() == role) {
            Message before = turns.remove(turns.size() - 1);
            text = before.content().isEmpty() ? text : text.isEmpty() ? before.content() : before.content() + "\n\n" + text;
        }
        if (role == Role.USER && text.isEmpty()) {
            return;
        }
        turns.add(new Message(role, text));
    }

    /** The turns as a conversation: user first, alternating, ending with the response. */
    private static Conversation conversation(List<Message> turns) throws Unreadable {
        if (turns.size() < 2 || turns.get(0).role() != Role.USER) {
            throw new Unreadable("holds no user turn before the response");
        }
        for (int i = 0; i < turns.size(); i++) {
            if (turns.get(i).role() != (i % 2 == 0 ? Role.USER : Role.ASSISTANT)) {
                throw new Unreadable("has an empty turn where a user or assistant turn is expected");
            }
        }
        return new Conversation(turns);
    }

    private static String withoutLeading(String text) {
        String rest = text;
        for (boolean again = true; again; ) {
            again = false;
            for (String token : START_TOKENS) {
                if (rest.startsWith(token)) {
                    rest = rest.substring(token.length());
                    again = true;
                }
            }
        }
        return rest;
    }

    private static String withoutTrailing(String text) {
        String rest = text.strip();
        for (boolean again = true; again; ) {
            again = false;
            for (String token : END_TOKENS) {
                if (rest.endsWith(token)) {
                    rest = rest.substring(0, rest.length() - token.length()).strip();
                    again = true;
                }
            }
        }
        return rest;
    }
}
