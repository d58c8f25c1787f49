package io.rewardgate.jobs;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

import io.quarkus.logging.Log;

/**
 * The jobs volume ({@code rewardgate.jobs.directory}) and the one way anything is made durable on it: content is
 * written beside its place, forced to the disk, renamed into place, and the directory forced after the rename,
 * so that once a write returns, a crash of the machine keeps the whole file or the previous one, never a part.
 * Whatever a stored copy replaces (a journal, answers in Redis) is deleted only after that.
 */
public final class Volume {

    private final Path root;

    public Volume(Path root) {
        this.root = root;
    }

    /** The volume's directory; a path of another file system in tests of a full disk. */
    public Path root() {
        return root;
    }

    /** Bytes that may still be written on the volume. */
    public long usableSpace() throws IOException {
        Path existing = root;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        return Files.getFileStore(existing == null ? root.toAbsolutePath().getRoot() : existing).getUsableSpace();
    }

    /** Writes what {@code writer} gives: through a channel that is forced before the file takes its place. */
    @FunctionalInterface
    public interface Writer {
        void writeTo(OutputStream out) throws IOException;
    }

    /** Writes {@code target} whole, durably, replacing what was there. */
    public void write(Path target, Writer writer) throws IOException {
        Path partial = target.resolveSibling(target.getFileName() + ".part");
        Files.createDirectories(target.getParent());
        try (FileChannel channel = FileChannel.open(partial, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            OutputStream out = Channels.newOutputStream(channel);
            writer.writeTo(out);
            out.flush();
            channel.force(true);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(partial);
            throw e;
        }
        place(partial, target);
    }

    /**
     * Moves a file written elsewhere (an upload) into {@code target}, durably: forced first, so that the name never
     * points at content still in memory; copied when it is on another volume.
     */
    public void moveIn(Path from, Path target) throws IOException {
        Files.createDirectories(target.getParent());
        try {
            force(from);
            Files.move(from, target, StandardCopyOption.ATOMIC_MOVE);
            forceDirectory(target.getParent());
        } catch (AtomicMoveNotSupportedException otherVolume) {
            Path partial = target.resolveSibling(target.getFileName() + ".part");
            Files.copy(from, partial, StandardCopyOption.REPLACE_EXISTING);
            force(partial);
            place(partial, target);
            Files.deleteIfExists(from);
        }
    }

    /** Forces a file's content to the disk. */
    public static void force(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
    }

    /**
     * Forces a directory, so that a rename or a new file in it survives a crash. A file system that cannot open a
     * directory (Windows, some in-memory ones) has nothing to force this way.
     */
    public static void forceDirectory(Path directory) {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException unsupported) {
            if (directory.getFileSystem() == FileSystems.getDefault()) {
                Log.debugf("Directory %s could not be forced: %s", directory, unsupported.toString());
            }
        }
    }

    private static void place(Path partial, Path target) throws IOException {
        Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        forceDirectory(target.getParent());
    }
}
