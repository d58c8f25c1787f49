package io.rewardgate.jobs.local;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.rewardgate.jobs.Batch;
import io.rewardgate.jobs.Batches;
import io.rewardgate.jobs.FileStore;
import io.rewardgate.jobs.JobsMetrics;
import io.rewardgate.jobs.LineHandler;
import io.rewardgate.jobs.RequestLine;
import io.rewardgate.jobs.StoredFile;
import io.rewardgate.jobs.Volume;
import io.rewardgate.testing.JobsSettings;
import io.smallrye.mutiny.Uni;

/**
 * The {@code local} job store built as the application builds it, without Quarkus, on a volume a test chooses
 * (a size-limited in-memory file system, or one that records what reaches the disk), with lines answered at a
 * moment the test chooses: a fake of the API's line handler, which alone stands between the store and the
 * scoring path.
 */
final class LocalJobs implements AutoCloseable {

    static final String SCORES = "/v1/scores";

    final Volume volume;
    final FileStore files;
    final BatchFiles store;
    final Batches runner;
    final Answering answers = new Answering();

    LocalJobs(Path root, JobsSettings settings, Clock clock) {
        volume = new Volume(root);
        files = new FileStore(volume, settings, answers, clock);
        store = new BatchFiles(volume);
        JobsMetrics metrics = new JobsMetrics(new SimpleMeterRegistry());
        runner = new Batches(settings, files, answers, metrics, clock,
                List.of(new LocalStore(settings, files, store, answers, metrics, clock)));
        runner.start(null);
    }

    /** Uploads {@code lines} request lines, as a client's upload arrives on the volume and is stored. */
    String upload(int lines, String owner) {
        StringBuilder content = new StringBuilder();
        for (int i = 0; i < lines; i++) {
            content.append("{\"custom_id\": \"line-").append(i).append("\", \"method\": \"POST\", \"url\": \"")
                    .append(SCORES).append("\", \"body\": {\"prompt\": \"Line ").append(i)
                    .append("\", \"response\": \"An answer.\"}}\n");
        }
        try {
            Path upload = volume.root().resolve("uploads").resolve(UUID.randomUUID() + ".jsonl");
            Files.createDirectories(upload.getParent());
            Files.writeString(upload, content, StandardCharsets.UTF_8);
            return files.upload(upload, "requests.jsonl", StoredFile.BATCH, owner).id();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Batch create(String fileId, String owner) {
        return runner.create(fileId, SCORES, "24h", null, owner);
    }

    Batch batch(String id, String owner) {
        return runner.get(id, owner);
    }

    /** The batch once it has ended. */
    Batch ended(String id, String owner) {
        Batch[] last = new Batch[1];
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20)).until(() -> {
            last[0] = batch(id, owner);
            return last[0].status().finished();
        });
        return last[0];
    }

    /** The lines of a stored file. */
    List<String> lines(String fileId) {
        if (fileId == null) {
            return List.of();
        }
        try {
            return Files.readAllLines(files.content(fileId), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        runner.stop(null);
    }

    /** Answers every line with the same scores, once {@link #open()} lets them through. */
    static final class Answering implements LineHandler {
        private volatile CompletableFuture<Void> gate = CompletableFuture.completedFuture(null);
        final AtomicInteger calls = new AtomicInteger();

        /** Holds every line's answer back until {@link #open()}. */
        void hold() {
            gate = new CompletableFuture<>();
        }

        void open() {
            gate.complete(null);
        }

        @Override
        public List<String> endpoints() {
            return List.of(SCORES);
        }

        @Override
        public int maxLineBytes() {
            return 1 << 20;
        }

        @Override
        public Uni<LineOutcome> handle(RequestLine line, String owner, BooleanSupplier wanted) {
            calls.incrementAndGet();
            return Uni.createFrom().completionStage(gate)
                    .replaceWith(new LineOutcome(200, "{\"reward\": 1.5}", null, null));
        }

        @Override
        public Uni<Duration> quota(String owner) {
            return Uni.createFrom().item(Duration.ZERO);
        }
    }
}
