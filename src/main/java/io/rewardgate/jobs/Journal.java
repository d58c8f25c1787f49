package io.rewardgate.jobs;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.BitSet;

/**
 * What a batch has answered so far, one line each, appended as each request is answered:
 * {@code o <line> <output line>} for a result, {@code e <line> <output line>} for an error. Each entry is
 * written by one {@code write} before the next line of the batch may count as answered, so a process killed
 * at any moment keeps every answer it recorded; a last entry cut short is dropped when the journal is opened
 * again, and that request is answered anew. Holds, besides, which input lines are answered: one bit each.
 */
public final class Journal implements Closeable {

    /** One recorded answer. */
    public record Entry(boolean ok, int line, String output) {}

    private final FileChannel channel;
    private final BitSet done = new BitSet();
    private int completed;
    private int failed;

    private Journal(FileChannel channel) {
        this.channel = channel;
    }

    /** Opens the journal at {@code file}, creating it, and reads what it holds. */
    public static Journal open(Path file) throws IOException {
        long whole = 0;
        Journal journal;
        if (Files.exists(file)) {
            whole = wholeLength(file);
        }
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.READ);
        try {
            // A write cut short by a kill leaves a partial entry at the end: drop it before appending after it.
            channel.truncate(whole);
            channel.position(whole);
            journal = new Journal(channel);
            replay(file, entry -> journal.note(entry.ok(), entry.line()));
            return journal;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** Calls {@code visitor} with every whole entry in {@code file}, in the order written. */
    public static void replay(Path file, EntryVisitor visitor) throws IOException {
        if (!Files.exists(file)) {
            return;
        }
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            long left = wholeLength(file);
            for (String text = reader.readLine(); text != null; text = reader.readLine()) {
                left -= text.getBytes(StandardCharsets.UTF_8).length + 1L;
                if (left < 0) {
                    break;
                }
                Entry entry = parse(text);
                if (entry != null) {
                    visitor.visit(entry);
                }
            }
        }
    }

    /** Sees one entry of a journal. */
    @FunctionalInterface
    public interface EntryVisitor {
        void visit(Entry entry) throws IOException;
    }

    /** Records one answer. */
    public synchronized void append(boolean ok, int line, String output) throws IOException {
        if (done.get(line)) {
            return;
        }
        byte[] bytes = ((ok ? "o " : "e ") + line + " " + output + "\n").getBytes(StandardCharsets.UTF_8);
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        long start = channel.position();
        try {
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        } catch (IOException e) {
            // A write cut short (a full disk) must not leave half an entry for the next one to be glued onto.
            channel.truncate(start);
            channel.position(start);
            throw e;
        }
        note(ok, line);
    }

    public synchronized boolean done(int line) {
        return done.get(line);
    }

    public synchronized int completed() {
        return completed;
    }

    public synchronized int failed() {
        return failed;
    }

    /** Forces what was written to the disk, for the state changes that must survive a crash of the machine. */
    public synchronized void sync() throws IOException {
        channel.force(false);
    }

    @Override
    public synchronized void close() throws IOException {
        channel.close();
    }

    private void note(boolean ok, int line) {
        if (!done.get(line)) {
            done.set(line);
            if (ok) {
                completed++;
            } else {
                failed++;
            }
        }
    }

    /** The length of the file up to its last line end: the whole entries. */
    private static long wholeLength(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer chunk = ByteBuffer.allocate(8192);
            for (long end = channel.size(); end > 0; ) {
                long start = Math.max(0, end - chunk.capacity());
                chunk.clear().limit((int) (end - start));
                while (chunk.hasRemaining() && channel.read(chunk, start + chunk.position()) > 0) {
                    // read the whole chunk
                }
                for (int i = chunk.position() - 1; i >= 0; i--) {
                    if (chunk.get(i) == '\n') {
                        return start + i + 1;
                    }
                }
                end = start;
            }
            return 0;
        }
    }

    private static Entry parse(String text) {
        int first = text.indexOf(' ');
        int second = first < 0 ? -1 : text.indexOf(' ', first + 1);
        if (second < 0) {
            return null;
        }
        try {
            return new Entry(text.startsWith("o"), Integer.parseInt(text.substring(first + 1, second)),
                    text.substring(second + 1));
        } catch (NumberFormatException unreadable) {
            return null;
        }
    }
}
