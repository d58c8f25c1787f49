package io.rewardgate.jobs;

import java.io.BufferedWriter;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import io.quarkus.logging.Log;
import io.rewardgate.api.LimitsConfig;

/**
 * Files on local disk under {@code <rewardgate.jobs.directory>/files/}: {@code <id>.jsonl} holds the content,
 * {@code <id>.json} what is known of it, written last and atomically, so that a file exists only once whole.
 * Contents are read and written as streams of lines, never held whole.
 */
@ApplicationScoped
public class FileStore {

    private static final JsonFactory JSON = new JsonFactory();

    /** A write or an upload takes the moment between its content and its description: far less than this. */
    private static final Duration LEFTOVER_AGE = Duration.ofHours(1);

    private final Path directory;
    private final JobsConfig config;
    private final int maxLineBytes;
    private final Clock clock;

    /** The longest line a file may hold is the longest request body, {@code rewardgate.limits.max-body}. */
    @Inject
    public FileStore(JobsConfig config, LimitsConfig limits, Clock clock) {
        this.directory = Path.of(config.directory()).resolve("files");
        this.config = config;
        this.maxLineBytes = (int) Math.min(Integer.MAX_VALUE, limits.maxBody().asLongValue());
        this.clock = clock;
    }

    /** The longest line a file may hold: the longest request body. */
    public int maxLineBytes() {
        return maxLineBytes;
    }

    /**
     * Takes an uploaded file over (moving it into the store) once it is known to be JSONL within the limits:
     * every non-blank line a JSON object of at most {@link #maxLineBytes()}, at most
     * {@code rewardgate.jobs.max-file-lines} of them, and at least one.
     */
    public StoredFile upload(Path upload, String filename, String purpose, String owner) {
        if (!StoredFile.BATCH.equals(purpose)) {
            throw new JobsException(JobsException.Kind.INVALID,
                    "purpose must be 'batch': this service stores files for the Batch API only.", "purpose");
        }
        long bytes = size(upload);
        if (bytes > config.maxFileBytes().asLongValue()) {
            throw new JobsException(JobsException.Kind.TOO_LARGE, "The file has " + bytes
                    + " bytes, over the limit of " + config.maxFileBytes().asLongValue() + ".", "file");
        }
        int lines = 0;
        try (LineReader reader = LineReader.of(upload, maxLineBytes)) {
            for (String line = reader.next(); line != null; line = reader.next()) {
                if (line.isBlank()) {
                    continue;
                }
                if (!isJsonObject(line)) {
                    throw new JobsException(JobsException.Kind.INVALID,
                            "The file is not JSONL: line " + reader.number() + " is not a JSON object.", "file");
                }
                if (++lines > config.maxFileLines()) {
                    throw new JobsException(JobsException.Kind.INVALID,
                            "The file has more than " + config.maxFileLines() + " requests.", "file");
                }
            }
        } catch (IOException e) {
            throw unavailable(e);
        }
        if (lines == 0) {
            throw new JobsException(JobsException.Kind.INVALID, "The file holds no requests.", "file");
        }
        StoredFile file = describe(Ids.file(), bytes, filename, purpose, owner, lines);
        try {
            Files.createDirectories(directory);
            move(upload, content(file.id()));
            publish(file);
        } catch (IOException e) {
            throw unavailable(e);
        }
        Log.infof("File %s stored: %s, %d bytes, %d requests", file.id(), purpose, bytes, lines);
        return file;
    }

    /**
     * Writes the file {@code id} with the lines {@code writing} gives, in the order given, replacing a file of
     * that id: a batch finalized again after a kill writes its output under the same ids, leaving no orphan.
     */
    public StoredFile write(String id, String filename, String purpose, String owner, LineSource writing) {
        Path content = content(id);
        Path partial = content.resolveSibling(content.getFileName() + ".part");
        try {
            Files.createDirectories(directory);
            int[] lines = {0};
            try (BufferedWriter out = Files.newBufferedWriter(partial, StandardCharsets.UTF_8)) {
                writing.writeTo(line -> {
                    out.write(line);
                    out.write('\n');
                    lines[0]++;
                });
            }
            Files.move(partial, content, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            StoredFile file = describe(id, Files.size(content), filename, purpose, owner, lines[0]);
            publish(file);
            return file;
        } catch (IOException e) {
            throw unavailable(e);
        }
    }

    /** Where lines go, one at a time. */
    @FunctionalInterface
    public interface LineSink {
        void accept(String line) throws IOException;
    }

    /** What writes a file's lines into a sink. */
    @FunctionalInterface
    public interface LineSource {
        void writeTo(LineSink sink) throws IOException;
    }

    /** The file, if it exists and {@code owner} may see it. */
    public Optional<StoredFile> find(String id, String owner) {
        if (!Ids.wellFormed(id) || !id.startsWith("file-")) {
            return Optional.empty();
        }
        return read(meta(id)).filter(file -> Objects.equals(file.owner(), owner));
    }

    /** The file, or a {@code NOT_FOUND} failure. */
    public StoredFile require(String id, String owner) {
        return find(id, owner).orElseThrow(() -> JobsException.notFound("file", id));
    }

    /** The content of a file found with {@link #find}. */
    public Path content(String id) {
        return directory.resolve(id + ".jsonl");
    }

    /** The lines of a stored file, one at a time. */
    LineReader lines(String id) throws IOException {
        return LineReader.of(content(id), maxLineBytes);
    }

    /**
     * The line of a stored file that starts at byte {@code offset}, as {@link LineReader#offset()} gave it:
     * one line read, whatever the file's size.
     */
    String lineAt(String id, long offset) throws IOException {
        try (FileChannel channel = FileChannel.open(content(id), StandardOpenOption.READ);
                LineReader reader = new LineReader(Channels.newInputStream(channel.position(offset)), maxLineBytes)) {
            return reader.next();
        }
    }

    /** {@code owner}'s files, newest first; with {@code purpose} only those. */
    public List<StoredFile> list(String owner, String purpose) {
        List<StoredFile> files = new ArrayList<>();
        for (StoredFile file : all()) {
            if (Objects.equals(file.owner(), owner) && (purpose == null || purpose.equals(file.purpose()))) {
                files.add(file);
            }
        }
        files.sort(Comparator.comparingLong(StoredFile::createdMillis).reversed().thenComparing(StoredFile::id));
        return files;
    }

    /** The id of a file a batch wrote, if it has lines; an empty one is deleted, as OpenAI gives none. */
    String keptIfAny(StoredFile file) {
        if (file.lines() > 0) {
            return file.id();
        }
        remove(file);
        return null;
    }

    /** Deletes the file; whether {@code owner} had one of that id. */
    public boolean delete(String id, String owner) {
        Optional<StoredFile> file = find(id, owner);
        file.ifPresent(this::remove);
        return file.isPresent();
    }

    /**
     * Deletes files past their retention but those in {@code inUse} (inputs of batches that have not ended),
     * and what a kill left half written: content without a description, and partial writes, an hour old.
     */
    public void sweep(Set<String> inUse) {
        long now = clock.instant().getEpochSecond();
        for (StoredFile file : all()) {
            if (file.expiresAt() <= now && !inUse.contains(file.id())) {
                Log.infof("File %s deleted: its retention ended", file.id());
                remove(file);
            }
        }
        if (!Files.isDirectory(directory)) {
            return;
        }
        long before = clock.millis() - LEFTOVER_AGE.toMillis();
        try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(directory, "*.{part,jsonl}")) {
            for (Path leftover : leftovers) {
                String name = leftover.getFileName().toString();
                boolean orphan = name.endsWith(".part")
                        || !Files.exists(meta(name.substring(0, name.length() - ".jsonl".length())));
                if (orphan && Files.getLastModifiedTime(leftover).toMillis() < before) {
                    Log.infof("%s deleted: left half written", name);
                    Files.deleteIfExists(leftover);
                }
            }
        } catch (IOException e) {
            throw unavailable(e);
        }
    }

    private List<StoredFile> all() {
        List<StoredFile> files = new ArrayList<>();
        if (!Files.isDirectory(directory)) {
            return files;
        }
        try (DirectoryStream<Path> metas = Files.newDirectoryStream(directory, "*.json")) {
            for (Path meta : metas) {
                read(meta).ifPresent(files::add);
            }
        } catch (IOException e) {
            throw unavailable(e);
        }
        return files;
    }

    private StoredFile describe(String id, long bytes, String filename, String purpose, String owner, int lines) {
        long millis = clock.millis();
        long now = millis / 1000;
        return new StoredFile(id, bytes, now, filename, purpose, now + config.fileRetention().toSeconds(), owner,
                lines, millis);
    }

    private void remove(StoredFile file) {
        try {
            Files.deleteIfExists(meta(file.id()));
            Files.deleteIfExists(content(file.id()));
        } catch (IOException e) {
            throw unavailable(e);
        }
    }

    private Path meta(String id) {
        return directory.resolve(id + ".json");
    }

    private Optional<StoredFile> read(Path meta) {
        try {
            return Optional.of(Json.MAPPER.readValue(meta.toFile(), StoredFile.class));
        } catch (NoSuchFileException | FileNotFoundException gone) {
            return Optional.empty();
        } catch (IOException unreadable) {
            Log.warnf("Unreadable file description %s: %s", meta, unreadable.toString());
            return Optional.empty();
        }
    }

    private void publish(StoredFile file) throws IOException {
        Path temporary = directory.resolve(file.id() + ".json.part");
        Json.MAPPER.writeValue(temporary.toFile(), file);
        move(temporary, meta(file.id()));
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException otherVolume) {
            Path partial = to.resolveSibling(to.getFileName() + ".part");
            Files.copy(from, partial, StandardCopyOption.REPLACE_EXISTING);
            Files.move(partial, to, StandardCopyOption.ATOMIC_MOVE);
            Files.deleteIfExists(from);
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean isJsonObject(String line) {
        try (JsonParser parser = JSON.createParser(line)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return false;
            }
            parser.skipChildren();
            return parser.nextToken() == null;
        } catch (IOException notJson) {
            return false;
        }
    }

    private static JobsException unavailable(IOException e) {
        Log.errorf("The job store cannot be written or read: %s", e.toString());
        return new JobsException(JobsException.Kind.UNAVAILABLE,
                "Files cannot be stored or read now; try again later.");
    }
}
