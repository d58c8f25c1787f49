package io.rewardgate.api.rewards;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.rewardgate.scoring.Conversation;
import io.rewardgate.scoring.Message;

/** A trainer's templated prompt and query read back into the conversation they were rendered from. */
class ChatTemplatesTest {

    private static Conversation turns(String... texts) {
        List<Message> messages = new ArrayList<>();
        for (int i = 0; i < texts.length; i++) {
            messages.add(i % 2 == 0 ? Message.user(texts[i]) : Message.assistant(texts[i]));
        }
        return new Conversation(messages);
    }

    @Test
    void chatMlWithASystemTurnAndTwoRounds() throws Exception {
        String prompt = "<|im_start|>system\nYou are terse.<|im_end|>\n<|im_start|>user\nName a prime.<|im_end|>\n"
                + "<|im_start|>assistant\nSeven.<|im_end|>\n<|im_start|>user\nAnother?<|im_end|>\n"
                + "<|im_start|>assistant\n";
        ChatTemplates.Parsed parsed = ChatTemplates.parse(prompt + "Eleven.<|im_end|>\n<|endoftext|>", prompt);

        assertThat(parsed.template()).isEqualTo("chatml");
        assertThat(parsed.conversation()).isEqualTo(turns("Name a prime.", "Seven.", "Another?", "Eleven."));
    }

    @Test
    void llama3WithItsBeginningOfText() throws Exception {
        String prompt = "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nBe kind.<|eot_id|>"
                + "<|start_header_id|>user<|end_header_id|>\n\nWhat is 2+2?<|eot_id|>"
                + "<|start_header_id|>assistant<|end_header_id|>\n\n";
        ChatTemplates.Parsed parsed = ChatTemplates.parse(prompt + "4.<|eot_id|>", prompt);

        assertThat(parsed.template()).isEqualTo("llama3");
        assertThat(parsed.conversation()).isEqualTo(turns("What is 2+2?", "4."));
    }

    @Test
    void gemmaCallsTheAssistantModel() throws Exception {
        String prompt = "<bos><start_of_turn>user\nHi<end_of_turn>\n<start_of_turn>model\nHello!<end_of_turn>\n"
                + "<start_of_turn>user\nBye<end_of_turn>\n<start_of_turn>model\n";
        ChatTemplates.Parsed parsed = ChatTemplates.parse(prompt + "Goodbye.<end_of_turn>\n<eos>", prompt);

        assertThat(parsed.template()).isEqualTo("gemma");
        assertThat(parsed.conversation()).isEqualTo(turns("Hi", "Hello!", "Bye", "Goodbye."));
    }

    @Test
    void mistralAndLlama2InstructionsWithALlama2SystemBlock() throws Exception {
        String prompt = "<s>[INST] <<SYS>>\nBe brief.\n<</SYS>>\n\nHi [/INST] Hello</s>[INST] Bye [/INST]";
        ChatTemplates.Parsed parsed = ChatTemplates.parse(prompt + " Goodbye.</s>", prompt);

        assertThat(parsed.template()).isEqualTo("mistral");
        assertThat(parsed.conversation()).isEqualTo(turns("Hi", "Hello", "Bye", "Goodbye."));
    }

    @Test
    void plainTextIsTheUsersOneTurn() throws Exception {
        ChatTemplates.Parsed parsed = ChatTemplates.parse("Question: 2+2?\nAnswer: 4", "Question: 2+2?\nAnswer:");

        assertThat(parsed.template()).isEqualTo("plain");
        assertThat(parsed.conversation()).isEqualTo(turns("Question: 2+2?\nAnswer:", "4"));
    }

    @Test
    void withoutPromptsTheLastAssistantTurnOfATemplatedQueryIsTheResponse() throws Exception {
        ChatTemplates.Parsed parsed = ChatTemplates.parse(
                "<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\nHello.<|im_end|>", null);

        assertThat(parsed.conversation()).isEqualTo(turns("Hi", "Hello."));
    }

    @Test
    void whatCannotBeReadIsSaidAndNeverGuessed() {
        assertThatThrownBy(() -> ChatTemplates.parse("Question: 2+2? Answer: 4", "Question: 3+3?"))
                .isInstanceOf(ChatTemplates.Unreadable.class).hasMessageStartingWith("is not the start of its query");
        assertThatThrownBy(() -> ChatTemplates.parse("Question: 2+2? Answer: 4", null))
                .hasMessageContaining("send prompts");
        assertThatThrownBy(() -> ChatTemplates.parse("<|im_start|>user\nHi<|im_end|>\n", null))
                .hasMessage("does not end with an assistant turn: send prompts");
        String tool = "<|im_start|>user\nHi<|im_end|>\n<|im_start|>tool\n{}<|im_end|>\n<|im_start|>assistant\n";
        assertThatThrownBy(() -> ChatTemplates.parse(tool + "Done.", tool))
                .hasMessageContaining("role 'tool'");
        String systemOnly = "<|im_start|>system\nBe kind.<|im_end|>\n<|im_start|>assistant\n";
        assertThatThrownBy(() -> ChatTemplates.parse(systemOnly + "Hello.", systemOnly))
                .hasMessage("holds no user turn before the response");
    }
}
