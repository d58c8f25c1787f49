package io.rewardgate.backend;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.rewardgate.scoring.RawScores;
import io.smallrye.mutiny.Uni;

/**
 * The calls a batching kind makes: full calls at once, a call that does not fill after its wait, lanes apart,
 * and a call the server rejects for one conversation made again one by one, so that only that one fails.
 */
class CallBatcherTest {

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    /** Every call the sender was asked to make, as the items it held. */
    private final List<List<String>> calls = Collections.synchronizedList(new ArrayList<>());

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    /** A server that scores each text by its length, and rejects a whole call holding a text that says "long". */
    private Uni<List<RawScores>> server(Lane lane, List<String> items, BooleanSupplier anyWanted) {
        calls.add(items);
        if (items.stream().anyMatch(text -> text.contains("long"))) {
            return Uni.createFrom().failure(new BackendException(BackendException.Kind.REJECTED,
                    "The backend rejected the conversation: too long"));
        }
        return Uni.createFrom().item(items.stream()
                .map(text -> new RawScores(Map.of("reward", (double) text.length()))).toList());
    }

    private CompletableFuture<Double> ask(CallBatcher<String> batcher, Lane lane, String text) {
        return batcher.submit(lane, text, () -> true).map(scores -> scores.values().get("reward"))
                .subscribeAsCompletionStage();
    }

    @Test
    void aFullCallGoesAtOnceWithItsItemsInOrder() throws Exception {
        CallBatcher<String> batcher = new CallBatcher<>(3, Duration.ofMinutes(5), scheduler, this::server);

        List<CompletableFuture<Double>> answers = List.of(ask(batcher, Lane.INTERACTIVE, "a"),
                ask(batcher, Lane.INTERACTIVE, "bb"), ask(batcher, Lane.INTERACTIVE, "ccc"));

        assertThat(answers.get(2).get(10, TimeUnit.SECONDS)).isEqualTo(3.0);
        assertThat(answers.get(0).get(10, TimeUnit.SECONDS)).isEqualTo(1.0);
        assertThat(calls).containsExactly(List.of("a", "bb", "ccc"));
    }

    @Test
    void aCallThatDoesNotFillGoesAfterItsWaitAndLanesNeverShareOne() throws Exception {
        CallBatcher<String> batcher = new CallBatcher<>(8, Duration.ofMillis(50), scheduler, this::server);

        CompletableFuture<Double> interactive = ask(batcher, Lane.INTERACTIVE, "ab");
        CompletableFuture<Double> batch = ask(batcher, Lane.BATCH, "abcd");

        assertThat(interactive.get(10, TimeUnit.SECONDS)).isEqualTo(2.0);
        assertThat(batch.get(10, TimeUnit.SECONDS)).isEqualTo(4.0);
        assertThat(calls).containsExactlyInAnyOrder(List.of("ab"), List.of("abcd"));
    }

    @Test
    void aRejectedCallIsMadeAgainOneByOneSoOnlyTheRejectedConversationFails() throws Exception {
        CallBatcher<String> batcher = new CallBatcher<>(3, Duration.ofMinutes(5), scheduler, this::server);

        CompletableFuture<Double> first = ask(batcher, Lane.INTERACTIVE, "fine");
        CompletableFuture<Double> rejected = ask(batcher, Lane.INTERACTIVE, "too long");
        CompletableFuture<Double> third = ask(batcher, Lane.INTERACTIVE, "ok");

        assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo(4.0);
        assertThat(third.get(10, TimeUnit.SECONDS)).isEqualTo(2.0);
        assertThat(rejected).failsWithin(Duration.ofSeconds(10)).withThrowableOfType(Exception.class)
                .havingRootCause().isInstanceOf(BackendException.class)
                .withMessageContaining("too long");
        assertThat(calls).containsExactly(List.of("fine", "too long", "ok"), List.of("fine"), List.of("too long"),
                List.of("ok"));
    }

    @Test
    void otherFailuresFailTheWholeCallOnce() {
        CallBatcher<String> batcher = new CallBatcher<>(2, Duration.ofMinutes(5), scheduler, (lane, items, wanted) -> {
            calls.add(items);
            return Uni.createFrom().failure(new BackendException(BackendException.Kind.UNAVAILABLE, "down"));
        });

        CompletableFuture<Double> one = ask(batcher, Lane.INTERACTIVE, "a");
        CompletableFuture<Double> two = ask(batcher, Lane.INTERACTIVE, "b");

        assertThat(one).failsWithin(Duration.ofSeconds(10));
        assertThat(two).failsWithin(Duration.ofSeconds(10));
        assertThat(calls).containsExactly(List.of("a", "b"));
    }
}
