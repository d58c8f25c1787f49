package io.rewardgate.api.scores;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.function.LongConsumer;

import io.rewardgate.api.ApiMetrics;
import io.rewardgate.models.Ask;
import io.rewardgate.models.Model;
import io.rewardgate.problem.Problem;
import io.rewardgate.problem.ProblemType;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.MultiEmitter;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;

/**
 * Scores an NDJSON request body line by line into results in input order, in bounded memory whatever the
 * stream's length: at most {@code window} lines are read ahead of the oldest unanswered one. Reading pauses
 * while the window is full, and results are emitted only as fast as the response is written, so a client
 * that reads slowly slows the reading of its own upload (TCP back-pressure) instead of filling the heap.
 * A line over {@code maxLine} bytes is dropped unread and answered with a 413 error entry; the stream goes on.
 *
 * <p>All state lives on the request's event loop; results computed elsewhere hop back to it.
 */
final class StreamScoring {

    private final HttpServerRequest request;
    private final Model model;
    private final Ask ask;
    private final Context context;
    private final ItemReader reader;
    private final ItemScoring scoring;
    private final ApiMetrics metrics;
    private final int window;
    private final int maxLine;

    private final ArrayDeque<Slot> pending = new ArrayDeque<>();
    private MultiEmitter<? super ItemResult> emitter;
    private LineSplitter splitter;
    private long lines;
    private boolean paused;
    private boolean ended;
    private boolean done;

    private StreamScoring(HttpServerRequest request, Model model, Ask ask, ItemReader reader,
            ItemScoring scoring, ApiMetrics metrics, int window, int maxLine) {
        this.request = request;
        this.model = model;
        this.ask = ask;
        this.context = Vertx.currentContext();
        this.reader = reader;
        this.scoring = scoring;
        this.metrics = metrics;
        this.window = window;
        this.maxLine = maxLine;
    }

    /** The results of the lines of {@code request}'s body; call on the request's event loop. */
    static Multi<ItemResult> results(HttpServerRequest request, Model model, Ask ask, ItemReader reader,
            ItemScoring scoring, ApiMetrics metrics, int window, int maxLine) {
        StreamScoring stream = new StreamScoring(request, model, ask, reader, scoring, metrics, window, maxLine);
        return Multi.createFrom().<ItemResult>emitter(stream::start);
    }

    private void start(MultiEmitter<? super ItemResult> emitter) {
        this.emitter = emitter;
        LongConsumer onRequest = n -> context.runOnContext(v -> drain());
        emitter.onRequest(onRequest);
        emitter.onTermination(() -> context.runOnContext(v -> stopReading()));
        splitter = new LineSplitter(maxLine, new LineSplitter.Sink() {
            @Override
            public void line(Buffer line) {
                StreamScoring.this.line(line);
            }

            @Override
            public void overlong() {
                add(ItemResult.failed(lines++, null, Problem.of(ProblemType.PAYLOAD_TOO_LARGE,
                        "The line is over the limit of " + maxLine + " bytes.")));
            }
        });
        request.handler(chunk -> {
            splitter.feed(chunk);
            if (splitter.holding()) {
                request.pause();
            }
        });
        request.exceptionHandler(failure -> {
            ended = true;
            drain();
        });
        request.endHandler(v -> {
            splitter.end();
            ended = true;
            drain();
        });
        // The framework pauses a body it does not read itself; from here on, we read it.
        request.resume();
    }

    private void line(Buffer buffer) {
        String line = buffer.toString(StandardCharsets.UTF_8);
        if (line.endsWith("\r")) {
            line = line.substring(0, line.length() - 1);
        }
        if (line.isBlank()) {
            return;
        }
        Slot slot = new Slot();
        pending.add(slot);
        scoring.one(model, reader.read(lines++, line), ask).subscribe().with(result -> context.runOnContext(v -> {
            slot.result = result;
            drain();
        }));
        pauseIfFull();
    }

    /** A result known at once (a line that could not be read). */
    private void add(ItemResult result) {
        Slot slot = new Slot();
        slot.result = result;
        pending.add(slot);
        pauseIfFull();
        context.runOnContext(v -> drain());
    }

    private void pauseIfFull() {
        if (pending.size() >= window && !paused) {
            paused = true;
            splitter.pause();
            request.pause();
        }
    }

    /** Emits finished results in order while the response wants them, and reads on while there is room. */
    private void drain() {
        if (done || emitter.isCancelled()) {
            return;
        }
        while (!pending.isEmpty() && pending.peek().result != null && emitter.requested() > 0) {
            emitter.emit(pending.poll().result);
        }
        if (paused && !ended && pending.size() < window) {
            paused = false;
            splitter.resume();
            if (!paused && !splitter.holding()) {
                request.resume();
            }
        }
        if (ended && pending.isEmpty()) {
            done = true;
            metrics.stream(lines);
            emitter.complete();
        }
    }

    private void stopReading() {
        if (!ended) {
            ended = true;
            request.pause();
        }
    }

    /** One line's place in the output order, filled when its result is known. */
    private static final class Slot {
        ItemResult result;
    }
}
