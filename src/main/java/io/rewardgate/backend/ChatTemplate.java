package io.rewardgate.backend;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import io.rewardgate.scoring.Conversation;
import io.rewardgate.scoring.Message;

/**
 * Writes a conversation as a reward server expects its text, for kinds that send text rather than messages:
 * the prompt with the chat template's generation header, and the query, the prompt followed by the response
 * and its end-of-turn token.
 */
public enum ChatTemplate {

    /** {@code <|im_start|>role\n...<|im_end|>\n}: Qwen, Yi and many others. */
    CHATML {
        @Override
        String turn(Message message) {
            return "<|im_start|>" + message.role().wire() + "\n" + message.content() + "<|im_end|>\n";
        }

        @Override
        String header() {
            return "<|im_start|>assistant\n";
        }

        @Override
        String end() {
            return "<|im_end|>\n";
        }
    },
    /** Llama 3's header and end-of-turn tokens. */
    LLAMA3 {
        @Override
        String begin() {
            return "<|begin_of_text|>";
        }

        @Override
        String turn(Message message) {
            return "<|start_header_id|>" + message.role().wire() + "<|end_header_id|>\n\n" + message.content()
                    + "<|eot_id|>";
        }

        @Override
        String header() {
            return "<|start_header_id|>assistant<|end_header_id|>\n\n";
        }

        @Override
        String end() {
            return "<|eot_id|>";
        }
    },
    /** The turns' text alone, a blank line between them. */
    PLAIN {
        @Override
        String turn(Message message) {
            return message.content() + "\n\n";
        }

        @Override
        String header() {
            return "";
        }

        @Override
        String end() {
            return "";
        }
    };

    /** A prompt and its query, which starts with it. */
    public record Text(String prompt, String query) {}

    public static ChatTemplate named(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }

    /** The names a model may give in {@code chat-template}. */
    public static List<String> names() {
        return Arrays.stream(values()).map(t -> t.name().toLowerCase(Locale.ROOT)).toList();
    }

    public Text write(Conversation conversation) {
        List<Message> turns = conversation.messages();
        StringBuilder prompt = new StringBuilder(begin());
        for (Message message : turns.subList(0, turns.size() - 1)) {
            prompt.append(turn(message));
        }
        prompt.append(header());
        String text = prompt.toString();
        return new Text(text, text + turns.get(turns.size() - 1).content() + end());
    }

    String begin() {
        return "";
    }

    abstract String turn(Message message);

    /** What opens the assistant's turn, after which the model writes. */
    abstract String header();

    abstract String end();
}
