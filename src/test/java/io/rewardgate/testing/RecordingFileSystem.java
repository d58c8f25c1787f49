package io.rewardgate.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.AccessMode;
import java.nio.file.ClosedFileSystemException;
import java.nio.file.CopyOption;
import java.nio.file.DirectoryStream;
import java.nio.file.FileStore;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.ProviderMismatchException;
import java.nio.file.StandardOpenOption;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileAttributeView;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.nio.file.spi.FileSystemProvider;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A file system over a real directory that records, in order, the operations that make data durable
 * (force, directory sync, move, delete), so tests can prove the order in which a store reaches the disk.
 */
public final class RecordingFileSystem implements AutoCloseable {

    /**
     * One operation; path is relative to root, with '/' separators ("" for root itself); target is the
     * destination of a MOVE, else null.
     */
    public record Op(Kind kind, String path, String target) {}

    /** The kinds of operation recorded. */
    public enum Kind {
        /** {@code force} on a channel opened on a regular file. */
        FORCE,
        /** {@code force} on a channel opened on a directory: the directory's entries reach the disk. */
        FORCE_DIRECTORY,
        /** A completed {@code Files.move}. */
        MOVE,
        /** A delete that removed a file ({@code deleteIfExists} on a missing file records nothing). */
        DELETE,
        /** A directory created by {@code createDirectory} (also each one {@code createDirectories} creates). */
        CREATE_DIRECTORY,
        /** A channel opened with WRITE or APPEND, or an output stream opened. */
        WRITE_OPEN
    }

    private final List<Op> operations = new CopyOnWriteArrayList<>();
    private final Path realRoot;
    private final Path base;
    private final FileSystem delegateFs;
    private final FileSystemProvider delegate;
    private final Provider provider = new Provider();
    private final Fs fs = new Fs();
    private volatile boolean open = true;

    private RecordingFileSystem(Path root) {
        realRoot = root;
        base = root.toAbsolutePath().normalize();
        delegateFs = root.getFileSystem();
        delegate = delegateFs.provider();
    }

    /** A recording file system over the real directory {@code root} (which must exist). */
    public static RecordingFileSystem over(Path root) {
        if (!Files.isDirectory(root)) {
            throw new IllegalArgumentException("not a directory: " + root);
        }
        return new RecordingFileSystem(root);
    }

    /** The root as a Path of the recording file system: resolve from it; every Path derived from it records. */
    public Path root() {
        return wrap(realRoot);
    }

    /** Every recorded operation so far, in the order they happened (thread-safe snapshot). */
    public List<Op> operations() {
        return List.copyOf(operations);
    }

    /** Forgets the operations recorded so far, so a test can look only at what follows. */
    public void clear() {
        operations.clear();
    }

    /** Closes the file system: file operations through its paths then fail; the real files stay. */
    @Override
    public void close() {
        open = false;
    }

    private void record(Kind kind, Path real, Path realTarget) {
        operations.add(new Op(kind, relative(real), realTarget == null ? null : relative(realTarget)));
    }

    private String relative(Path real) {
        final Path absolute = real.toAbsolutePath().normalize();
        final Path shown = absolute.startsWith(base) ? base.relativize(absolute) : absolute;
        return shown.toString().replace(delegateFs.getSeparator(), "/");
    }

    private Path wrap(Path real) {
        return real == null ? null : new RecordingPath(real);
    }

    private boolean owns(Path path) {
        return path instanceof RecordingPath && path.getFileSystem() == fs;
    }

    private Path unwrap(Path path) {
        if (!owns(Objects.requireNonNull(path))) {
            throw new ProviderMismatchException();
        }
        return ((RecordingPath) path).real;
    }

    /** The real path behind {@code path}, for an operation that reaches the disk. */
    private Path real(Path path) {
        if (!open) {
            throw new ClosedFileSystemException();
        }
        return unwrap(path);
    }

    private static boolean writes(Set<? extends OpenOption> options) {
        return options.contains(StandardOpenOption.WRITE) || options.contains(StandardOpenOption.APPEND);
    }

    /** The provider: unwraps every path, delegates to the real provider, records what matters. */
    private final class Provider extends FileSystemProvider {

        @Override
        public String getScheme() {
            return "recording";
        }

        @Override
        public FileSystem newFileSystem(URI uri, Map<String, ?> env) {
            throw new UnsupportedOperationException("use RecordingFileSystem.over");
        }

        @Override
        public FileSystem getFileSystem(URI uri) {
            throw new UnsupportedOperationException("use RecordingFileSystem.over");
        }

        @Override
        public Path getPath(URI uri) {
            return wrap(delegate.getPath(uri));
        }

        @Override
        public SeekableByteChannel newByteChannel(Path path, Set<? extends OpenOption> options,
                FileAttribute<?>... attrs) throws IOException {
            final Path real = real(path);
            final SeekableByteChannel channel = delegate.newByteChannel(real, options, attrs);
            if (writes(options)) {
                record(Kind.WRITE_OPEN, real, null);
            }
            return channel instanceof FileChannel file ? new RecordingChannel(file, real) : channel;
        }

        @Override
        public FileChannel newFileChannel(Path path, Set<? extends OpenOption> options,
                FileAttribute<?>... attrs) throws IOException {
            final Path real = real(path);
            final FileChannel channel = delegate.newFileChannel(real, options, attrs);
            if (writes(options)) {
                record(Kind.WRITE_OPEN, real, null);
            }
            return new RecordingChannel(channel, real);
        }

        @Override
        public InputStream newInputStream(Path path, OpenOption... options) throws IOException {
            return delegate.newInputStream(real(path), options);
        }

        @Override
        public OutputStream newOutputStream(Path path, OpenOption... options) throws IOException {
            final Path real = real(path);
            final OutputStream out = delegate.newOutputStream(real, options);
            record(Kind.WRITE_OPEN, real, null);
            return out;
        }

        @Override
        public DirectoryStream<Path> newDirectoryStream(Path dir, DirectoryStream.Filter<? super Path> filter)
                throws IOException {
            final DirectoryStream<Path> stream =
                    delegate.newDirectoryStream(real(dir), entry -> filter.accept(wrap(entry)));
            return new DirectoryStream<>() {
                @Override
                public Iterator<Path> iterator() {
                    final Iterator<Path> entries = stream.iterator();
                    return new Iterator<>() {
                        @Override
                        public boolean hasNext() {
                            return entries.hasNext();
                        }

                        @Override
                        public Path next() {
                            return wrap(entries.next());
                        }
                    };
                }

                @Override
                public void close() throws IOException {
                    stream.close();
                }
            };
        }

        @Override
        public void createDirectory(Path dir, FileAttribute<?>... attrs) throws IOException {
            final Path real = real(dir);
            delegate.createDirectory(real, attrs);
            record(Kind.CREATE_DIRECTORY, real, null);
        }

        @Override
        public void createSymbolicLink(Path link, Path target, FileAttribute<?>... attrs) throws IOException {
            delegate.createSymbolicLink(real(link), real(target), attrs);
        }

        @Override
        public void createLink(Path link, Path existing) throws IOException {
            delegate.createLink(real(link), real(existing));
        }

        @Override
        public Path readSymbolicLink(Path link) throws IOException {
            return wrap(delegate.readSymbolicLink(real(link)));
        }

        @Override
        public void delete(Path path) throws IOException {
            final Path real = real(path);
            delegate.delete(real);
            record(Kind.DELETE, real, null);
        }

        @Override
        public boolean deleteIfExists(Path path) throws IOException {
            final Path real = real(path);
            final boolean deleted = delegate.deleteIfExists(real);
            if (deleted) {
                record(Kind.DELETE, real, null);
            }
            return deleted;
        }

        @Override
        public void copy(Path source, Path target, CopyOption... options) throws IOException {
            delegate.copy(real(source), real(target), options);
        }

        @Override
        public void move(Path source, Path target, CopyOption... options) throws IOException {
            final Path realSource = real(source);
            final Path realTarget = real(target);
            delegate.move(realSource, realTarget, options);
            record(Kind.MOVE, realSource, realTarget);
        }

        @Override
        public boolean isSameFile(Path path, Path path2) throws IOException {
            return owns(path2) && delegate.isSameFile(real(path), real(path2));
        }

        @Override
        public boolean isHidden(Path path) throws IOException {
            return delegate.isHidden(real(path));
        }

        @Override
        public FileStore getFileStore(Path path) throws IOException {
            return delegate.getFileStore(real(path));
        }

        @Override
        public void checkAccess(Path path, AccessMode... modes) throws IOException {
            delegate.checkAccess(real(path), modes);
        }

        @Override
        public <V extends FileAttributeView> V getFileAttributeView(Path path, Class<V> type,
                LinkOption... options) {
            return delegate.getFileAttributeView(real(path), type, options);
        }

        @Override
        public <A extends BasicFileAttributes> A readAttributes(Path path, Class<A> type, LinkOption... options)
                throws IOException {
            return delegate.readAttributes(real(path), type, options);
        }

        @Override
        public Map<String, Object> readAttributes(Path path, String attributes, LinkOption... options)
                throws IOException {
            return delegate.readAttributes(real(path), attributes, options);
        }

        @Override
        public void setAttribute(Path path, String attribute, Object value, LinkOption... options)
                throws IOException {
            delegate.setAttribute(real(path), attribute, value, options);
        }
    }

    /** The file system its paths belong to: the real one's, with paths wrapped. */
    private final class Fs extends FileSystem {

        @Override
        public FileSystemProvider provider() {
            return provider;
        }

        @Override
        public void close() {
            RecordingFileSystem.this.close();
        }

        @Override
        public boolean isOpen() {
            return open;
        }

        @Override
        public boolean isReadOnly() {
            return false;
        }

        @Override
        public String getSeparator() {
            return delegateFs.getSeparator();
        }

        @Override
        public Iterable<Path> getRootDirectories() {
            final List<Path> roots = new ArrayList<>();
            delegateFs.getRootDirectories().forEach(root -> roots.add(wrap(root)));
            return roots;
        }

        @Override
        public Iterable<FileStore> getFileStores() {
            return delegateFs.getFileStores();
        }

        @Override
        public Set<String> supportedFileAttributeViews() {
            return delegateFs.supportedFileAttributeViews();
        }

        @Override
        public Path getPath(String first, String... more) {
            return wrap(delegateFs.getPath(first, more));
        }

        @Override
        public PathMatcher getPathMatcher(String syntaxAndPattern) {
            final PathMatcher matcher = delegateFs.getPathMatcher(syntaxAndPattern);
            return path -> matcher.matches(unwrap(path));
        }

        @Override
        public UserPrincipalLookupService getUserPrincipalLookupService() {
            return delegateFs.getUserPrincipalLookupService();
        }

        @Override
        public WatchService newWatchService() {
            throw new UnsupportedOperationException("watching is not recorded");
        }
    }

    /** A path of this file system: a real path, unwrapped for every delegation and wrapped on the way back. */
    private final class RecordingPath implements Path {

        private final Path real;

        RecordingPath(Path real) {
            this.real = real;
        }

        @Override
        public FileSystem getFileSystem() {
            return fs;
        }

        @Override
        public boolean isAbsolute() {
            return real.isAbsolute();
        }

        @Override
        public Path getRoot() {
            return wrap(real.getRoot());
        }

        @Override
        public Path getFileName() {
            return wrap(real.getFileName());
        }

        @Override
        public Path getParent() {
            return wrap(real.getParent());
        }

        @Override
        public int getNameCount() {
            return real.getNameCount();
        }

        @Override
        public Path getName(int index) {
            return wrap(real.getName(index));
        }

        @Override
        public Path subpath(int beginIndex, int endIndex) {
            return wrap(real.subpath(beginIndex, endIndex));
        }

        @Override
        public boolean startsWith(Path other) {
            return owns(other) && real.startsWith(unwrap(other));
        }

        @Override
        public boolean endsWith(Path other) {
            return owns(other) && real.endsWith(unwrap(other));
        }

        @Override
        public Path normalize() {
            return wrap(real.normalize());
        }

        @Override
        public Path resolve(Path other) {
            return wrap(real.resolve(unwrap(other)));
        }

        @Override
        public Path relativize(Path other) {
            return wrap(real.relativize(unwrap(other)));
        }

        @Override
        public URI toUri() {
            return real.toUri();
        }

        @Override
        public Path toAbsolutePath() {
            return wrap(real.toAbsolutePath());
        }

        @Override
        public Path toRealPath(LinkOption... options) throws IOException {
            return wrap(real.toRealPath(options));
        }

        @Override
        public WatchKey register(WatchService watcher, WatchEvent.Kind<?>[] events, WatchEvent.Modifier... modifiers) {
            throw new UnsupportedOperationException("watching is not recorded");
        }

        @Override
        public int compareTo(Path other) {
            return real.compareTo(((RecordingPath) other).real);
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof RecordingPath path && owns(path) && real.equals(path.real);
        }

        @Override
        public int hashCode() {
            return real.hashCode();
        }

        @Override
        public String toString() {
            return real.toString();
        }
    }

    /** A real file channel that records {@code force}, as FORCE_DIRECTORY when opened on a directory. */
    private final class RecordingChannel extends FileChannel {

        private final FileChannel channel;
        private final Path file;
        private final boolean directory;

        RecordingChannel(FileChannel channel, Path file) {
            this.channel = channel;
            this.file = file;
            this.directory = Files.isDirectory(file);
        }

        @Override
        public void force(boolean metaData) throws IOException {
            channel.force(metaData);
            record(directory ? Kind.FORCE_DIRECTORY : Kind.FORCE, file, null);
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            return channel.read(dst);
        }

        @Override
        public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
            return channel.read(dsts, offset, length);
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            return channel.read(dst, position);
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            return channel.write(src);
        }

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
            return channel.write(srcs, offset, length);
        }

        @Override
        public int write(ByteBuffer src, long position) throws IOException {
            return channel.write(src, position);
        }

        @Override
        public long position() throws IOException {
            return channel.position();
        }

        @Override
        public FileChannel position(long newPosition) throws IOException {
            channel.position(newPosition);
            return this;
        }

        @Override
        public long size() throws IOException {
            return channel.size();
        }

        @Override
        public FileChannel truncate(long size) throws IOException {
            channel.truncate(size);
            return this;
        }

        @Override
        public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
            return channel.transferTo(position, count, target);
        }

        @Override
        public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
            return channel.transferFrom(src, position, count);
        }

        @Override
        public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
            return channel.map(mode, position, size);
        }

        @Override
        public FileLock lock(long position, long size, boolean shared) throws IOException {
            return channel.lock(position, size, shared);
        }

        @Override
        public FileLock tryLock(long position, long size, boolean shared) throws IOException {
            return channel.tryLock(position, size, shared);
        }

        @Override
        protected void implCloseChannel() throws IOException {
            channel.close();
        }
    }
}
