package io.rewardgate.jobs;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
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
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;

/**
 * Files on the jobs volume under {@code files/}: {@code <id>.jsonl} holds the content, {@code <id>.json} what is
 * known of it, written last, so that a file exists only once whole; both are forced to the disk before they
 * count. Contents are read and written as streams of lines, never held whole. A file past its retention is gone
 * for its owner at once, and from the disk at the next sweep. Uploads are held to the limits of
 * {@code rewardgate.jobs.*}: size, lines, each key's and all keys' stored bytes, and the free space the volume
 * keeps for outputs.
 *
 * <p>Longer than the house's 300 lines on purpose: writing, reading, listing, the limits and the sweep all
 * follow one layout of content and description files, whose rules (what exists, when it counts, what is past
 * its retention) are kept in one place rather than repeated in each.
 */
@ApplicationScoped
public class FileStore {

    private static final JsonFactory JSON = new JsonFactory();

    /** A write or an upload takes the moment between its content and its description: far less than this. */
    static final Duration LEFTOVER_AGE = Duration.ofHours(1);

    private final Volume volume;
    private final Path directory;
    private final Path uploads;
    private final JobsConfig config;
    private final int maxLineBytes;
    private final Clock clock;

    /** The longest line a file may hold is the longest request body the endpoints take. */
    @Inject
    public FileStore(Volume volume, JobsConfig config, LineHandler endpoints, Clock clock) {
        this(volume, config, endpoints.maxLineBytes(), clock);
    }

    FileStore(Volume volume, JobsConfig config, int maxLineBytes, Clock clock) {
        this.volume = volume;
        this.directory = volume.root().resolve("files");
        this.uploads = volume.root().resolve("uploads");
        this.config = config;
        this.maxLineBytes = maxLineBytes;
        this.clock = clock;
    }

    void sweepAtStart(@Observes StartupEvent event) {
        try {
            sweepLeftovers();
        } catch (JobsException unreadable) {
            Log.warnf("Leftovers of uploads and writes could not be looked for under %s", volume.root());
        }
    }

    /** The longest line a file may hold: the longest request body. */
    public int maxLineBytes() {
        return maxLineBytes;
    }

    /** Where uploads are written as they arrive: on the jobs volume, so that storing one is a rename. */
    public Path uploads() {
        return uploads;
    }

    /**
     * Refuses new work while the volume is below its free-space floor: what is left is for the outputs and the
     * progress of the batches already running.
     */
    public void requireFreeSpace() {
        long free;
        try {
            free = volume.usableSpace();
        } catch (IOException e) {
            throw unavailable(e);
        }
        long floor = config.minFreeSpace().asLongValue();
        if (free < floor) {
            Log.warnf("The jobs volume has %d bytes free, below rewardgate.jobs.min-free-space (%d): uploads and new"
                    + " batches are refused until files are deleted", free, floor);
            throw new JobsException(JobsException.Kind.UNAVAILABLE,
                    "The service's file storage is full; try again later.", null, Duration.ofSeconds(60));
        }
    }

    /**
     * Refuses an upload of {@code bytes} (when known before it is read) that would take {@code owner} or all
     * keys over their stored bytes.
     */
    public void requireRoom(String owner, long bytes) {
        long perKey = config.maxStoredBytesPerKey().asLongValue();
        long total = config.maxStoredBytes().asLongValue();
        long mine = 0;
        long all = 0;
        for (StoredFile file : all()) {
            all += file.bytes();
            if (Objects.equals(file.owner(), owner)) {
                mine += file.bytes();
            }
        }
        if (mine + bytes > perKey) {
            throw new JobsException(JobsException.Kind.TOO_LARGE, "This key stores " + mine + " bytes of files; "
                    + bytes + " more would pass its limit of " + perKey + ". Delete files it no longer needs.", "file");
        }
        if (all + bytes > total) {
            throw new JobsException(JobsException.Kind.TOO_LARGE, "The service stores " + all + " bytes of files; "
                    + bytes + " more would pass its limit of " + total + ".", "file");
        }
    }

    /**
     * Takes an uploaded file over (moving it into the store) once it is known to be JSONL within the limits:
     * every non-blank line a JSON object of at most {@link #maxLineBytes()}, at most
     * {@code rewardgate.jobs.max-file-lines} of them, and at least one, within the key's and the service's
     * stored bytes and above the volume's free-space floor.
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
        int lines = countRequests(upload);
        if (lines == 0) {
            throw new JobsException(JobsException.Kind.INVALID, "The file holds no requests.", "file");
        }
        StoredFile file = describe(Ids.file(), bytes, filename, purpose, owner, lines);
        // Checked and stored under one lock: two uploads of this replica cannot both take the last room.
        synchronized (this) {
            requireRoom(owner, bytes);
            try {
                volume.moveIn(upload, content(file.id()));
                publish(file);
            } catch (IOException e) {
                throw unavailable(e);
            }
        }
        Log.infof("File %s stored: %s, %d bytes, %d requests", file.id(), purpose, bytes, lines);
        return file;
    }

    private int countRequests(Path upload) {
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
        return lines;
    }

    /**
     * Writes the file {@code id} with the lines {@code writing} gives, in the order given, durably, replacing a
     * file of that id: a batch finalized again after a kill writes its output under the same ids, leaving no
     * orphan. Not held to the storage limits: a batch that was let run must be able to give its answers.
     */
    public StoredFile write(String id, String filename, String purpose, String owner, LineSource writing) {
        Path content = content(id);
        int[] lines = {0};
        try {
            volume.write(content, out -> {
                BufferedWriter writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
                writing.writeTo(line -> {
                    writer.write(line);
                    writer.write('\n');
                    lines[0]++;
                });
                writer.flush();
            });
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

    /** The file, if it exists, is within its retention and {@code owner} may see it. */
    public Optional<StoredFile> find(String id, String owner) {
        if (!Ids.wellFormed(id) || !id.startsWith("file-")) {
            return Optional.empty();
        }
        long now = clock.instant().getEpochSecond();
        return read(meta(id)).filter(file -> Objects.equals(file.owner(), owner) && file.expiresAt() > now);
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
    public LineReader lines(String id) throws IOException {
        return LineReader.of(content(id), maxLineBytes);
    }

    /**
     * The line of a stored file that starts at byte {@code offset}, as {@link LineReader#offset()} gave it:
     * one line read, whatever the file's size.
     */
    public String lineAt(String id, long offset) throws IOException {
        try (FileChannel channel = FileChannel.open(content(id), StandardOpenOption.READ);
                LineReader reader = new LineReader(Channels.newInputStream(channel.position(offset)), maxLineBytes)) {
            return reader.next();
        }
    }

    /** A reader of the stored file's lines from byte {@code offset} on, numbered from {@code number + 1}. */
    public LineReader linesFrom(String id, long offset, long number) throws IOException {
        FileChannel channel = FileChannel.open(content(id), StandardOpenOption.READ);
        return new LineReader(Channels.newInputStream(channel.position(offset)), maxLineBytes, offset, number);
    }

    /** {@code owner}'s files within their retention, newest first; with {@code purpose} only those. */
    public List<StoredFile> list(String owner, String purpose) {
        long now = clock.instant().getEpochSecond();
        List<StoredFile> files = new ArrayList<>();
        for (StoredFile file : all()) {
            if (Objects.equals(file.owner(), owner) && file.expiresAt() > now
                    && (purpose == null || purpose.equals(file.purpose()))) {
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

    /** Gives every file of {@code from} to {@code to}: a key that was renamed keeps what it stored. */
    public int renameOwner(String from, String to) {
        int moved = 0;
        for (StoredFile file : all()) {
            if (from.equals(file.owner())) {
                try {
                    publish(new StoredFile(file.id(), file.bytes(), file.createdAt(), file.filename(), file.purpose(),
                            file.expiresAt(), to, file.lines(), file.createdMillis()));
                    moved++;
                } catch (IOException e) {
                    throw unavailable(e);
                }
            }
        }
        return moved;
    }

    /**
     * Deletes files past their retention but those in {@code inUse} (inputs of batches that have not ended),
     * and what a kill left half written, an hour old: content without a description, partial writes, uploads.
     */
    public void sweep(Set<String> inUse) {
        long now = clock.instant().getEpochSecond();
        for (StoredFile file : all()) {
            if (file.expiresAt() <= now && !inUse.contains(file.id())) {
                Log.infof("File %s deleted: its retention ended", file.id());
                remove(file);
            }
        }
        sweepLeftovers();
    }

    private void sweepLeftovers() {
        // Modification times come from the machine's clock, not the service's: a leftover's age is measured on it,
        // so that a service clock ahead of it never takes a file being written for one left behind.
        long before = System.currentTimeMillis() - LEFTOVER_AGE.toMillis();
        try {
            if (Files.isDirectory(directory)) {
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
                }
            }
            if (Files.isDirectory(uploads)) {
                try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(uploads)) {
                    for (Path leftover : leftovers) {
                        if (Files.isRegularFile(leftover) && Files.getLastModifiedTime(leftover).toMillis() < before) {
                            Log.infof("Upload %s deleted: left by an upload that never ended", leftover.getFileName());
                            Files.deleteIfExists(leftover);
                        }
                    }
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

    private static Optional<StoredFile> read(Path meta) {
        try (InputStream in = Files.newInputStream(meta)) {
            return Optional.of(Json.MAPPER.readValue(in, StoredFile.class));
        } catch (NoSuchFileException gone) {
            return Optional.empty();
        } catch (IOException unreadable) {
            Log.warnf("Unreadable file description %s: %s", meta, unreadable.toString());
            return Optional.empty();
        }
    }

    private void publish(StoredFile file) throws IOException {
        volume.write(meta(file.id()), out -> Json.MAPPER.writeValue(out, file));
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw unavailable(e);
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

    static JobsException unavailable(IOException e) {
        Log.errorf("The job store cannot be written or read: %s", e.toString());
        return new JobsException(JobsException.Kind.UNAVAILABLE,
                "Files cannot be stored or read now; try again later.");
    }
}
