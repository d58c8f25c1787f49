package io.rewardgate.jobs.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;

import io.rewardgate.jobs.Batch;
import io.rewardgate.jobs.Batch.Status;
import io.rewardgate.jobs.JobsException;
import io.rewardgate.jobs.StoredFile;
import io.rewardgate.testing.JobsSettings;

/**
 * The local store on a full disk, a real one: an in-memory file system of a fixed size (Jimfs), filled by
 * another tenant's file. A line whose answer cannot be recorded keeps its slot and is tried again, so the batch
 * pauses rather than loses it; once there is room, it goes on and completes with every line. A disk that stays
 * full past {@code record-timeout} stops the batch, which ends {@code failed} with the lines it did not answer
 * listed, in its errors and in its error file: a batch never counts as completed what it did not record.
 */
class FullDiskTest {

    private static final long DISK = 4L << 20;
    private static final int LINES = 40;

    private FileSystem disk;
    private LocalJobs jobs;

    @AfterEach
    void closeAll() throws IOException {
        if (jobs != null) {
            jobs.close();
        }
        disk.close();
    }

    @Test
    void anAnswerThatCannotBeRecordedWaitsForRoomAndTheBatchCompletesWithEveryLine() throws IOException {
        start(JobsSettings.defaults().withMinFreeSpace(0).withSweepInterval(Duration.ofMillis(100)));
        String file = jobs.upload(LINES, null);
        jobs.answers.hold();
        Batch batch = jobs.create(file, null);
        await().atMost(Duration.ofSeconds(10)).until(() -> jobs.answers.calls.get() > 0);

        Path filler = fill();
        jobs.answers.open();

        await().during(Duration.ofMillis(600)).atMost(Duration.ofSeconds(5))
                .until(() -> jobs.batch(batch.id(), null).requestCounts().answered() == 0);
        assertThat(jobs.batch(batch.id(), null).status()).as("paused, not ended").isEqualTo(Status.IN_PROGRESS);

        Files.delete(filler);
        Batch ended = jobs.ended(batch.id(), null);

        assertThat(ended.status()).isEqualTo(Status.COMPLETED);
        assertThat(ended.requestCounts()).isEqualTo(new Batch.Counts(LINES, LINES, 0));
        assertThat(jobs.lines(ended.outputFileId())).hasSize(LINES);
        assertThat(ended.errorFileId()).isNull();
    }

    @Test
    void aDiskThatStaysFullFailsTheBatchWithTheLinesItDidNotAnswerListed() throws IOException {
        start(JobsSettings.defaults().withMinFreeSpace(0).withSweepInterval(Duration.ofMillis(100))
                .withRecordTimeout(Duration.ofMillis(500)).withLineConcurrency(4));
        String file = jobs.upload(LINES, null);
        jobs.answers.hold();
        Batch batch = jobs.create(file, null);
        await().atMost(Duration.ofSeconds(10)).until(() -> jobs.answers.calls.get() >= 4);

        Path filler = fill();
        jobs.answers.open();
        // Its answers are given up after the timeout; its end cannot be written while the disk is full.
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(5))
                .until(() -> !jobs.batch(batch.id(), null).status().finished() && jobs.answers.calls.get() == 4);
        Files.delete(filler);
        Batch ended = jobs.ended(batch.id(), null);

        assertThat(ended.status()).isEqualTo(Status.FAILED);
        assertThat(jobs.answers.calls.get()).as("no line started after the batch stopped").isEqualTo(4);
        assertThat(ended.requestCounts().completed()).isZero();
        assertThat(jobs.lines(ended.outputFileId())).isEmpty();
        List<String> errors = jobs.lines(ended.errorFileId());
        assertThat(errors).as("every line once, as not answered").hasSize(LINES)
                .allSatisfy(line -> assertThat(line).contains("\"code\":\"batch_failed\""));
        Batch described = jobs.batch(batch.id(), null);
        assertThat(described.errors()).hasSize(LINES);
        assertThat(described.errors().get(0)).isEqualTo(new Batch.LineError("line_not_recorded", 1,
                "The line's answer could not be recorded: the jobs volume failed or was full.", null));
    }

    @Test
    void belowTheFreeSpaceFloorUploadsAndBatchesAreRefusedWhileOutputsAreStillWritten() throws IOException {
        start(JobsSettings.defaults().withMinFreeSpace(DISK / 2));
        String file = jobs.upload(LINES, null);
        Path filler = fill(DISK * 3 / 4);

        assertThatThrownBy(jobs.files::requireFreeSpace).isInstanceOfSatisfying(JobsException.class, e -> {
            assertThat(e.kind()).isEqualTo(JobsException.Kind.UNAVAILABLE);
            assertThat(e.retryAfter()).isPresent();
        });
        assertThatThrownBy(() -> jobs.create(file, null)).isInstanceOf(JobsException.class);
        StoredFile output = jobs.files.write("file-" + "0".repeat(24), "out.jsonl", StoredFile.BATCH_OUTPUT, null,
                sink -> sink.accept("{\"kept\": true}"));
        assertThat(jobs.lines(output.id())).containsExactly("{\"kept\": true}");

        Files.delete(filler);
        assertThat(jobs.create(file, null).status()).isEqualTo(Status.VALIDATING);
    }

    private void start(JobsSettings settings) {
        disk = Jimfs.newFileSystem(Configuration.unix().toBuilder().setMaxSize(DISK).setBlockSize(4096).build());
        jobs = new LocalJobs(disk.getPath("/jobs"), settings, Clock.systemUTC());
    }

    /** Another tenant's file that takes every byte left. */
    private Path fill() throws IOException {
        return fill(Long.MAX_VALUE);
    }

    /** Another tenant's file of up to {@code bytes}, or of every byte left. */
    private Path fill(long bytes) throws IOException {
        Path filler = disk.getPath("/filler");
        byte[] block = new byte[4096];
        long written = 0;
        try (OutputStream out = Files.newOutputStream(filler)) {
            while (written < bytes) {
                out.write(block);
                written += block.length;
            }
        } catch (IOException full) {
            // The disk is full: the filler keeps what it got.
        }
        return filler;
    }
}
