package io.rewardgate.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.rewardgate.jobs.LineHandler.LineOutcome;
import io.smallrye.mutiny.Uni;

/**
 * How one replica shares its line slots between keys: a free slot goes to the next key with lines, in turn, so
 * that a key's one line runs next to another's thousand; a key whose quota is spent is passed over without
 * holding a slot; a stopped batch starts nothing more, and its lines that have not reached the backend are told
 * they are no longer wanted.
 */
class LineSchedulerTest {

    private final Handler handler = new Handler();
    private LineScheduler scheduler;

    @AfterEach
    void stop() {
        scheduler.shutdown(Duration.ZERO);
        handler.releaseAll();
    }

    @Test
    void aFreeSlotGoesToTheNextKeyInTurnNotToTheKeyWithTheMostLines() {
        scheduler = new LineScheduler(4, handler);
        scheduler.start();
        scheduler.add(new Lines("batch-a", "team-a", 1000));
        await().atMost(Duration.ofSeconds(5)).until(() -> handler.started.size() == 4);

        scheduler.add(new Lines("batch-b", "team-b", 1));
        handler.release(handler.started.get(0));

        await().atMost(Duration.ofSeconds(5)).until(() -> handler.started.size() == 5);
        assertThat(handler.started.get(4)).as("the line started in the freed slot").startsWith("team-b");
    }

    @Test
    void aKeyWhoseQuotaIsSpentIsPassedOverWithoutHoldingASlot() {
        handler.quotaWait.put("team-a", Duration.ofHours(1));
        scheduler = new LineScheduler(2, handler);
        scheduler.start();
        scheduler.add(new Lines("batch-a", "team-a", 10));
        scheduler.add(new Lines("batch-b", "team-b", 10));

        for (int i = 0; i < 10; i++) {
            await().atMost(Duration.ofSeconds(5)).until(() -> !handler.running.isEmpty());
            handler.release(handler.running.keySet().iterator().next());
        }

        await().atMost(Duration.ofSeconds(5)).until(() -> handler.started.size() == 10);
        assertThat(handler.started).allSatisfy(line -> assertThat(line).startsWith("team-b"));
    }

    @Test
    void aStoppedBatchStartsNothingMoreAndItsLinesInFlightAreNoLongerWanted() {
        scheduler = new LineScheduler(3, handler);
        scheduler.start();
        Lines lines = new Lines("batch-a", "team-a", 100);
        scheduler.add(lines);
        await().atMost(Duration.ofSeconds(5)).until(() -> handler.started.size() == 3);

        scheduler.stop("batch-a");

        assertThat(handler.wanted.values()).as("every line in flight").hasSize(3)
                .allSatisfy(wanted -> assertThat(wanted.getAsBoolean()).isFalse());
        handler.releaseAll();
        await().atMost(Duration.ofSeconds(5)).until(() -> lines.drained.get() == 1);
        assertThat(handler.started).hasSize(3);
        assertThat(lines.abandoned.get()).as("dropped lines are not recorded").isEqualTo(3);
        assertThat(lines.recorded.get()).isZero();
    }

    /** Lines numbered from 1, each held until the test lets it go. */
    private static final class Handler implements LineHandler {
        final List<String> started = new CopyOnWriteArrayList<>();
        final Map<String, CompletableFuture<Void>> running = new ConcurrentHashMap<>();
        final Map<String, BooleanSupplier> wanted = new ConcurrentHashMap<>();
        final Map<String, Duration> quotaWait = new ConcurrentHashMap<>();

        @Override
        public List<String> endpoints() {
            return List.of("/v1/scores");
        }

        @Override
        public int maxLineBytes() {
            return 1 << 20;
        }

        @Override
        public Uni<LineOutcome> handle(RequestLine line, String owner, BooleanSupplier isWanted) {
            String name = owner + "/" + line.customId();
            CompletableFuture<Void> done = new CompletableFuture<>();
            running.put(name, done);
            wanted.put(name, isWanted);
            started.add(name);
            return Uni.createFrom().completionStage(done).map(ignored -> isWanted.getAsBoolean()
                    ? new LineOutcome(200, "{}", null, null) : LineOutcome.DROPPED);
        }

        @Override
        public Uni<Duration> quota(String owner) {
            return Uni.createFrom().item(quotaWait.getOrDefault(owner, Duration.ZERO));
        }

        void release(String name) {
            CompletableFuture<Void> done = running.remove(name);
            if (done != null) {
                done.complete(null);
            }
        }

        void releaseAll() {
            new ArrayList<>(running.keySet()).forEach(this::release);
        }
    }

    /** A batch of {@code count} lines in memory. */
    private static final class Lines implements LineScheduler.Source {
        final String batchId;
        final String owner;
        final int count;
        final AtomicInteger next = new AtomicInteger();
        final AtomicInteger recorded = new AtomicInteger();
        final AtomicInteger abandoned = new AtomicInteger();
        final AtomicInteger drained = new AtomicInteger();

        Lines(String batchId, String owner, int count) {
            this.batchId = batchId;
            this.owner = owner;
            this.count = count;
        }

        @Override
        public String batchId() {
            return batchId;
        }

        @Override
        public String owner() {
            return owner;
        }

        @Override
        public List<LineScheduler.Line> take(int max) {
            int number = next.incrementAndGet();
            if (number > count) {
                return null;
            }
            return List.of(new LineScheduler.Line(number, "{\"custom_id\": \"" + number + "\", \"method\": \"POST\","
                    + " \"url\": \"/v1/scores\", \"body\": {}}", null));
        }

        @Override
        public Uni<Void> record(LineScheduler.Line line, LineOutcome outcome) {
            recorded.incrementAndGet();
            return Uni.createFrom().voidItem();
        }

        @Override
        public void abandon(LineScheduler.Line line) {
            abandoned.incrementAndGet();
        }

        @Override
        public void drained() {
            drained.incrementAndGet();
        }
    }
}
