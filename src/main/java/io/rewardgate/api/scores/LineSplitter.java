package io.rewardgate.api.scores;

import io.vertx.core.buffer.Buffer;

/**
 * Cuts a byte stream into lines in bounded memory: a line longer than {@code maxLine} is dropped as it
 * arrives (only its end is looked for) and reported as overlong, so one bad line costs neither memory nor the
 * rest of the stream. While paused it holds the rest of the current chunk and hands out no line.
 */
final class LineSplitter {

    interface Sink {
        void line(Buffer line);

        void overlong();
    }

    private final int maxLine;
    private final Sink sink;
    private Buffer partial = Buffer.buffer();
    private boolean skipping;
    private Buffer pending;
    private int position;
    private boolean paused;

    LineSplitter(int maxLine, Sink sink) {
        this.maxLine = maxLine;
        this.sink = sink;
    }

    /** The next chunk; call only while not {@link #holding()}. */
    void feed(Buffer chunk) {
        pending = chunk;
        position = 0;
        emit();
    }

    /** Whether part of the last chunk waits for {@link #resume()}. */
    boolean holding() {
        return pending != null;
    }

    void pause() {
        paused = true;
    }

    void resume() {
        paused = false;
        emit();
    }

    /** The stream ended: its last line, if it had no newline. */
    void end() {
        if (skipping) {
            sink.overlong();
        } else if (partial.length() > 0) {
            sink.line(partial);
        }
        partial = Buffer.buffer();
        skipping = false;
    }

    private void emit() {
        while (!paused && pending != null) {
            int newline = indexOfNewline(pending, position);
            if (newline < 0) {
                take(pending.slice(position, pending.length()));
                pending = null;
                return;
            }
            Buffer segment = pending.slice(position, newline);
            position = newline + 1;
            if (position == pending.length()) {
                pending = null;
            }
            take(segment);
            if (skipping) {
                skipping = false;
                sink.overlong();
            } else {
                Buffer line = partial;
                partial = Buffer.buffer();
                sink.line(line);
            }
        }
    }

    /** Adds to the current line, or drops it for good once it is over the limit. */
    private void take(Buffer segment) {
        if (skipping) {
            return;
        }
        if (partial.length() + segment.length() > maxLine) {
            skipping = true;
            partial = Buffer.buffer();
            return;
        }
        partial.appendBuffer(segment);
    }

    private static int indexOfNewline(Buffer buffer, int from) {
        for (int i = from; i < buffer.length(); i++) {
            if (buffer.getByte(i) == '\n') {
                return i;
            }
        }
        return -1;
    }
}
