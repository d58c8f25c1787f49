package io.rewardgate.api.scores;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.vertx.core.buffer.Buffer;

class LineSplitterTest {

    private final List<String> seen = new ArrayList<>();
    private final LineSplitter splitter = new LineSplitter(10, new LineSplitter.Sink() {
        @Override
        public void line(Buffer line) {
            seen.add(line.toString());
        }

        @Override
        public void overlong() {
            seen.add("<overlong>");
        }
    });

    @Test
    void linesAreJoinedAcrossChunksAndTheLastNeedsNoNewline() {
        splitter.feed(Buffer.buffer("ab"));
        splitter.feed(Buffer.buffer("c\nde\n\nf"));
        splitter.end();

        assertThat(seen).containsExactly("abc", "de", "", "f");
    }

    @Test
    void aLineOverTheLimitIsDroppedAndReportedAndTheNextOneStillComes() {
        splitter.feed(Buffer.buffer("ok\n0123456"));
        splitter.feed(Buffer.buffer("789abcdef"));
        splitter.feed(Buffer.buffer("ghij\nnext\n01234567890"));
        splitter.end();

        assertThat(seen).containsExactly("ok", "<overlong>", "next", "<overlong>");
    }

    @Test
    void whilePausedTheRestOfAChunkIsHeldUntilResumed() {
        splitter.pause();
        splitter.feed(Buffer.buffer("a\nb\nc"));
        assertThat(seen).isEmpty();
        assertThat(splitter.holding()).isTrue();

        splitter.resume();
        assertThat(seen).containsExactly("a", "b");
        assertThat(splitter.holding()).isFalse();
        splitter.end();
        assertThat(seen).containsExactly("a", "b", "c");
    }
}
