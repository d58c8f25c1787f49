package io.rewardgate.jobs;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.quarkus.logging.Log;

/**
 * Batches on local disk under {@code <rewardgate.jobs.directory>/batches/<id>/}: {@code batch.json}, the
 * batch's state, replaced atomically at each change of status, and {@code journal}, what it has answered.
 */
@ApplicationScoped
public class BatchStore {

    private final Path directory;

    @Inject
    public BatchStore(JobsConfig config) {
        this(Path.of(config.directory()));
    }

    BatchStore(Path root) {
        this.directory = root.resolve("batches");
    }

    void save(Batch batch) {
        Path home = home(batch.id());
        try {
            Files.createDirectories(home);
            Path temporary = home.resolve("batch.json.part");
            Json.MAPPER.writeValue(temporary.toFile(), batch);
            Files.move(temporary, home.resolve("batch.json"), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
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

    /** Every batch kept, in no particular order. */
    List<Batch> all() {
        List<Batch> batches = new ArrayList<>();
        if (!Files.isDirectory(directory)) {
            return batches;
        }
        try (DirectoryStream<Path> homes = Files.newDirectoryStream(directory)) {
            for (Path home : homes) {
                read(home.resolve("batch.json")).ifPresent(batches::add);
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

    private Path home(String id) {
        return directory.resolve(id);
    }

    private static Optional<Batch> read(Path file) {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Json.MAPPER.readValue(file.toFile(), Batch.class));
        } catch (IOException unreadable) {
            Log.warnf("Unreadable batch state %s: %s", file, unreadable.toString());
            return Optional.empty();
        }
    }
}
