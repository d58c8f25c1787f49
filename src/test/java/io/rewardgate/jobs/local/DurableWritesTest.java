package io.rewardgate.jobs.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.rewardgate.jobs.Batch;
import io.rewardgate.testing.JobsSettings;
import io.rewardgate.testing.RecordingFileSystem;
import io.rewardgate.testing.RecordingFileSystem.Kind;
import io.rewardgate.testing.RecordingFileSystem.Op;

/**
 * What the local store writes reaches the disk before the only other copy goes: an upload's content is forced
 * before it takes its name, a batch's state and its output files are forced, renamed into place and their
 * directory forced, and only then is the journal they replace deleted. Proven on the order of the operations a
 * real directory sees, through a file system that records them.
 */
class DurableWritesTest {

    @TempDir
    Path directory;

    @Test
    void outputsAreForcedAndTheirDirectorySyncedBeforeTheJournalGoes() throws IOException {
        try (RecordingFileSystem disk = RecordingFileSystem.over(directory);
                LocalJobs jobs = new LocalJobs(disk.root(), JobsSettings.defaults().withMinFreeSpace(0),
                        Clock.systemUTC())) {
            String file = jobs.upload(5, null);
            List<Op> upload = disk.operations();
            assertDurablyPlaced(upload, "uploads/", "files/" + file + ".jsonl");
            assertDurablyPlaced(upload, "files/" + file + ".json.part", "files/" + file + ".json");
            disk.clear();

            Batch ended = jobs.ended(jobs.create(file, null).id(), null);
            String home = "batches/" + ended.id();
            Op dropJournal = new Op(Kind.DELETE, home + "/journal", null);
            // The batch shows its end as soon as it is recorded; its journal goes just after.
            await().atMost(Duration.ofSeconds(30)).until(() -> disk.operations().contains(dropJournal));

            List<Op> run = disk.operations();
            String output = "files/" + ended.outputFileId() + ".jsonl";
            int journalGone = run.indexOf(dropJournal);
            assertThat(journalGone).as("the journal is deleted").isPositive();
            int outputPlaced = assertDurablyPlaced(run, output + ".part", output);
            int descriptionPlaced = assertDurablyPlaced(run, "files/" + ended.outputFileId() + ".json.part",
                    "files/" + ended.outputFileId() + ".json");
            assertThat(outputPlaced).as("the output is on the disk before the journal goes").isLessThan(journalGone);
            assertThat(descriptionPlaced).isLessThan(journalGone);
            assertDurablyPlaced(run, home + "/batch.json.part", home + "/batch.json");
            assertThat(Files.exists(directory.resolve(output))).isTrue();
        }
    }

    /**
     * Checks that {@code from} (a path, or the start of one) was forced, then moved to {@code to}, then the
     * directory of {@code to} forced; the index of that last step, the moment the file is durably in place.
     */
    private static int assertDurablyPlaced(List<Op> operations, String from, String to) {
        int moved = -1;
        for (int i = operations.size() - 1; i >= 0 && moved < 0; i--) {
            Op op = operations.get(i);
            if (op.kind() == Kind.MOVE && op.path().startsWith(from) && op.target().equals(to)) {
                moved = i;
            }
        }
        assertThat(moved).as("%s moved to %s in %s", from, to, operations).isNotNegative();
        String source = operations.get(moved).path();
        int forced = operations.subList(0, moved).lastIndexOf(new Op(Kind.FORCE, source, null));
        assertThat(forced).as("%s forced before it is moved", source).isNotNegative();
        String parent = to.substring(0, to.lastIndexOf('/'));
        int synced = operations.subList(moved, operations.size()).indexOf(new Op(Kind.FORCE_DIRECTORY, parent, null));
        assertThat(synced).as("%s forced after the move to %s", parent, to).isNotNegative();
        return moved + synced;
    }
}
