package io.rewardgate.jobs.local;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.quarkus.logging.Log;
import io.rewardgate.jobs.Batch;
import io.rewardgate.jobs.Ids;
import io.rewardgate.jobs.JobsException;
import io.rewardgate.jobs.Json;
import io.rewardgate.jobs.Volume;

/**
 * Batches of the {@code local} store on the jobs volume under {@code batches/<id>/}: {@code batch.json}, the
 * batch's state, replaced durably at each change of status, and {@code journal}, what it has answered.
 */
@ApplicationScoped
public class BatchFiles {

    private final Path directory;
    private final Volume volume;

    @Inject
    public BatchFiles(Volume volume) {
        this.volume = volume;
        this.directory = volume.root().resolve("batches");
    }

    void save(Batch batch) {
        try {
            volume.write(home(batch.id()).resolve("batch.json"), out -> Json.MAPPER.writeValue(out, batch));
        } catch (IOException e) {
            Log.errorf("Batch %s could not be saved: %s", batch.id(), e.toString());
            throw new JobsException(JobsException.Kind.UNAVAILABLE, "Batches cannot be stored now; try again later.");
        }
    }

    Optional<Batch> find(String id) {
        if (!Ids.wellFormed(id) || !id.startsWith("batch_")) {
            return Optional.empty();
        }
        return read(home(id).resolve("batch.json"));
    }

    /** Every batch kept, in no particular order, without its validation errors (read them with {@link #find}). */
    List<Batch> all() {
        List<Batch> batches = new ArrayList<>();
        if (!Files.isDirectory(directory)) {
            return batches;
        }
        try (DirectoryStream<Path> homes = Files.newDirectoryStream(directory)) {
            for (Path home : homes) {
                read(home.resolve("batch.json")).map(batch -> batch.errors() == null ? batch : batch.withErrors(null))
                        .ifPresent(batches::add);
            }
        } catch (IOException e) {
            throw new JobsException(JobsException.Kind.UNAVAILABLE, "Batches cannot be read now; try again later.");
        }
        return batches;
    }

    Path journal(String id) {
        return home(id).resolve("journal");
    }

    void dropJournal(String id) {
        try {
            Files.deleteIfExists(journal(id));
        } catch (IOException e) {
            Log.warnf("The journal of batch %s could not be deleted: %s", id, e.toString());
        }
    }

    /** Deletes an ended batch's state, once its files are gone too. */
    void delete(String id) {
        try (Stream<Path> entries = Files.list(home(id))) {
            for (Path entry : entries.toList()) {
                Files.deleteIfExists(entry);
            }
            Files.deleteIfExists(home(id));
        } catch (NoSuchFileException gone) {
            // Deleted by another sweep already.
        } catch (IOException e) {
            Log.warnf("Batch %s could not be deleted: %s", id, e.toString());
        }
    }

    private Path home(String id) {
        return directory.resolve(id);
    }

    private static Optional<Batch> read(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return Optional.of(Json.MAPPER.readValue(in, Batch.class));
        } catch (NoSuchFileException gone) {
            return Optional.empty();
        } catch (IOException unreadable) {
            Log.warnf("Unreadable batch state %s: %s", file, unreadable.toString());
            return Optional.empty();
        }
    }
}
