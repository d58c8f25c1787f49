package io.rewardgate.jobs.redis;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

import io.rewardgate.jobs.Journal;
import io.rewardgate.jobs.Volume;

/**
 * The answers of a batch of the Redis store, moved from Redis to the jobs volume in chunks as they come:
 * {@code batches/<id>/chunks/<n>.jsonl}, each in the {@link Journal}'s form, each written whole and durably
 * before its copy in Redis is deleted. At the end they make the output and error files, and then they go.
 */
final class Chunks {

    private final Volume volume;

    Chunks(Volume volume) {
        this.volume = volume;
    }

    /** Writes chunk {@code number} of the batch from its answers in Redis (line number to {@code o}/{@code e} + output). */
    void write(String batchId, long number, Map<String, String> answers) throws IOException {
        volume.write(path(batchId, number), out -> {
            for (Map.Entry<String, String> answer : answers.entrySet()) {
                String value = answer.getValue();
                out.write((value.charAt(0) + " " + answer.getKey() + " " + value.substring(1) + "\n")
                        .getBytes(StandardCharsets.UTF_8));
            }
        });
    }

    /** Whether chunk {@code number} is on the volume. */
    boolean exists(String batchId, long number) {
        return Files.exists(path(batchId, number));
    }

    /** Visits every answer of chunks 1 to {@code count}, in order. */
    void replay(String batchId, long count, Journal.EntryVisitor visitor) throws IOException {
        for (long number = 1; number <= count; number++) {
            Journal.replay(path(batchId, number), visitor);
        }
    }

    /** Deletes the batch's chunks, once its output files are written. */
    void delete(String batchId) throws IOException {
        Path directory = home(batchId);
        try (Stream<Path> chunks = Files.list(directory)) {
            for (Path chunk : chunks.toList()) {
                Files.deleteIfExists(chunk);
            }
            Files.deleteIfExists(directory);
            Files.deleteIfExists(directory.getParent());
        } catch (DirectoryNotEmptyException | NoSuchFileException gone) {
            // Deleted by a replica that finalized it before, or the batch's home holds more than its chunks.
        }
    }

    private Path home(String batchId) {
        return volume.root().resolve("batches").resolve(batchId).resolve("chunks");
    }

    private Path path(String batchId, long number) {
        return home(batchId).resolve(number + ".jsonl");
    }
}
