package io.rewardgate.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.rewardgate.testing.JobsSettings;
import io.rewardgate.testing.MovableClock;

/**
 * The files of the Batch API on their volume: a file past its retention is gone for its owner at once, before
 * any sweep deletes it; what a kill left behind (an upload that never ended) goes at the next start; and all
 * keys together keep no more than {@code max-stored-bytes}.
 */
class FileStoreTest {

    private static final String LINE = "{\"custom_id\": \"a\", \"method\": \"POST\", \"url\": \"/v1/scores\", \"body\": {}}\n";

    @TempDir
    Path directory;

    private final MovableClock clock = new MovableClock();

    @Test
    void aFilePastItsRetentionCanNoLongerBeReadOrUsedThoughNoSweepHasRun() throws IOException {
        FileStore files = store(JobsSettings.defaults());
        StoredFile file = files.upload(upload(LINE), "a.jsonl", StoredFile.BATCH, "team-a");
        assertThat(files.find(file.id(), "team-a")).isPresent();

        clock.advance(Duration.ofDays(30).plusSeconds(1));

        assertThat(files.find(file.id(), "team-a")).isEmpty();
        assertThat(files.list("team-a", null)).isEmpty();
        assertThatThrownBy(() -> BatchRules.created(files, java.util.List.of("/v1/scores"), file.id(), "/v1/scores",
                "24h", null, "team-a", clock.millis())).isInstanceOfSatisfying(JobsException.class,
                        e -> assertThat(e.kind()).isEqualTo(JobsException.Kind.NOT_FOUND));
        assertThat(files.content(file.id())).as("still on disk until the sweep").exists();
    }

    @Test
    void whatAnUploadLeftBehindGoesAtTheNextStartAndAnUploadUnderWayStays() throws IOException {
        Path uploads = Files.createDirectories(directory.resolve("uploads"));
        Path leftover = Files.writeString(uploads.resolve("resteasy-reactive123upload"), "{\"half\":");
        Files.setLastModifiedTime(leftover, FileTime.from(Instant.now().minus(Duration.ofHours(2))));
        Path underWay = Files.writeString(uploads.resolve("resteasy-reactive456upload"), "{\"being\":");

        store(JobsSettings.defaults()).sweepAtStart(null);

        assertThat(leftover).doesNotExist();
        assertThat(underWay).exists();
    }

    /** The sweep of a service whose clock is ahead of the machine's (ExpiryTest moves it a day) spared no write. */
    @Test
    void aFileBeingWrittenIsNoLeftoverHoweverFarTheServicesClockIsAhead() throws IOException {
        FileStore files = store(JobsSettings.defaults());
        Path beingWritten = Files.writeString(Files.createDirectories(directory.resolve("files"))
                .resolve("file-being-written.jsonl"), "{\"line\": 1}\n");
        clock.advance(Duration.ofDays(1));

        files.sweep(java.util.Set.of());

        assertThat(beingWritten).exists();
    }

    @Test
    void allKeysTogetherKeepNoMoreThanTheStoredBytesLimitWhileEachKeepsToItsOwn() throws IOException {
        String big = LINE.repeat(100);
        long size = big.getBytes(StandardCharsets.UTF_8).length;
        FileStore files = store(JobsSettings.defaults().withStoredBytes(2 * size, 3 * size));
        files.upload(upload(big), "a.jsonl", StoredFile.BATCH, "team-a");
        files.upload(upload(big), "a.jsonl", StoredFile.BATCH, "team-a");

        assertThatThrownBy(() -> files.upload(upload(big), "a.jsonl", StoredFile.BATCH, "team-a"))
                .isInstanceOfSatisfying(JobsException.class, e -> {
                    assertThat(e.kind()).isEqualTo(JobsException.Kind.TOO_LARGE);
                    assertThat(e.getMessage()).startsWith("This key stores " + 2 * size + " bytes");
                });
        files.upload(upload(big), "b.jsonl", StoredFile.BATCH, "team-b");
        assertThatThrownBy(() -> files.upload(upload(big), "c.jsonl", StoredFile.BATCH, "team-c"))
                .isInstanceOfSatisfying(JobsException.class, e -> {
                    assertThat(e.kind()).isEqualTo(JobsException.Kind.TOO_LARGE);
                    assertThat(e.getMessage()).startsWith("The service stores " + 3 * size + " bytes");
                });
        StoredFile output = files.write(Ids.file("batch_x", "output"), "out.jsonl", StoredFile.BATCH_OUTPUT, "team-c",
                sink -> sink.accept("{\"an\": \"output\"}"));
        assertThat(output.lines()).as("an output is written whatever the limits").isEqualTo(1);
    }

    private FileStore store(JobsSettings settings) {
        return new FileStore(new Volume(directory), settings, 1 << 20, clock);
    }

    private Path upload(String content) throws IOException {
        Path uploads = Files.createDirectories(directory.resolve("uploads"));
        return Files.writeString(Files.createTempFile(uploads, "upload", ".jsonl"), content);
    }
}
