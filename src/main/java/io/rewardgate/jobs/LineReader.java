package io.rewardgate.jobs;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The lines of a JSONL file, one at a time, each held only while it is read: a file of any size costs one line
 * of memory. A line longer than the limit, or not UTF-8, is refused with its number.
 */
public final class LineReader implements Closeable {

    private final InputStream in;
    private final int maxLineBytes;
    private final byte[] buffer = new byte[64 * 1024];
    private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    private int position;
    private int limit;
    /** Bytes of the file before {@link #buffer}'s first. */
    private long base;
    private long start;
    private long number;
    private boolean ended;

    LineReader(InputStream in, int maxLineBytes) {
        this(in, maxLineBytes, 0, 0);
    }

    /** Lines of a stream that starts at byte {@code base} of its file, after line {@code number}. */
    LineReader(InputStream in, int maxLineBytes, long base, long number) {
        this.in = in;
        this.maxLineBytes = maxLineBytes;
        this.base = base;
        this.number = number;
    }

    static LineReader of(Path file, int maxLineBytes) throws IOException {
        return new LineReader(Files.newInputStream(file), maxLineBytes);
    }

    /** The next line, without its line end; {@code null} at the end of the file. */
    public String next() throws IOException {
        if (ended) {
            return null;
        }
        line.reset();
        start = base + position;
        boolean tooLong = false;
        boolean newline = false;
        while (!newline) {
            if (position == limit) {
                base += limit;
                limit = in.read(buffer);
                position = 0;
                if (limit <= 0) {
                    limit = 0;
                    ended = true;
                    break;
                }
            }
            int start = position;
            while (position < limit && buffer[position] != '\n') {
                position++;
            }
            int count = position - start;
            // One byte more than the limit is kept, for a line that ends in \r\n.
            int room = maxLineBytes + 1 - line.size();
            if (count > room) {
                tooLong = true;
            }
            line.write(buffer, start, Math.min(count, Math.max(0, room)));
            if (position < limit) {
                position++;
                newline = true;
            }
        }
        if (ended && !newline && line.size() == 0 && !tooLong) {
            return null;
        }
        number++;
        byte[] bytes = line.toByteArray();
        int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
        if (tooLong || length > maxLineBytes) {
            throw new JobsException(JobsException.Kind.INVALID,
                    "Line " + number + " is over the limit of " + maxLineBytes + " bytes.", "file");
        }
        try {
            return utf8.decode(ByteBuffer.wrap(bytes, 0, length)).toString();
        } catch (CharacterCodingException notUtf8) {
            throw new JobsException(JobsException.Kind.INVALID, "Line " + number + " is not UTF-8 text.", "file");
        }
    }

    /** Where the line {@link #next} returned last starts in the file, in bytes. */
    public long offset() {
        return start;
    }

    /** The number of the line {@link #next} returned last, counting from 1. */
    public long number() {
        return number;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
