package io.rewardgate.backend;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import io.rewardgate.scoring.RawScores;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;

/**
 * Puts the conversations asked for within {@code max-batch-wait} of each other into one call, up to
 * {@code max-batch-size}, for kinds whose protocol takes several. One call takes one permit and one token of
 * the budget, and is made while any of its conversations is still wanted. Batch lines and interactive calls
 * never share a call, so that each keeps to its lane.
 *
 * <p>A server refuses a whole call for one conversation it rejects (too long, say): such a call is made again
 * one conversation at a time, so that only the rejected ones fail.
 *
 * @param <T> what the call sends for one conversation
 */
public final class CallBatcher<T> {

    /** Makes one call for {@code items}, answering their scores in their order. */
    @FunctionalInterface
    public interface Sender<T> {
        Uni<List<RawScores>> send(Lane lane, List<T> items, BooleanSupplier anyWanted);
    }

    private record Pending<T>(T item, BooleanSupplier wanted, UniEmitter<? super RawScores> emitter) {}

    private static final class Call<T> {
        final List<Pending<T>> items = new ArrayList<>();
        ScheduledFuture<?> timer;
    }

    private final int maxSize;
    private final Duration maxWait;
    private final ScheduledExecutorService scheduler;
    private final Sender<T> sender;
    /** The call being filled, per lane; guarded by {@code this}. */
    private final Map<Lane, Call<T>> filling = new EnumMap<>(Lane.class);

    public CallBatcher(int maxSize, Duration maxWait, ScheduledExecutorService scheduler, Sender<T> sender) {
        this.maxSize = maxSize;
        this.maxWait = maxWait;
        this.scheduler = scheduler;
        this.sender = sender;
    }

    /** The scores of one conversation, sent in the next call of its lane. */
    public Uni<RawScores> submit(Lane lane, T item, BooleanSupplier wanted) {
        return Uni.createFrom().emitter(emitter -> add(lane, new Pending<>(item, wanted, emitter)));
    }

    private void add(Lane lane, Pending<T> pending) {
        List<Pending<T>> full = null;
        synchronized (this) {
            Call<T> call = filling.get(lane);
            if (call == null) {
                call = new Call<>();
                if (maxSize > 1 && maxWait.toMillis() > 0) {
                    filling.put(lane, call);
                    Call<T> waiting = call;
                    call.timer = scheduler.schedule(() -> flush(lane, waiting), maxWait.toMillis(),
                            TimeUnit.MILLISECONDS);
                }
            }
            call.items.add(pending);
            if (call.items.size() >= maxSize || call.timer == null) {
                filling.remove(lane, call);
                if (call.timer != null) {
                    call.timer.cancel(false);
                }
                full = call.items;
            }
        }
        if (full != null) {
            send(lane, full);
        }
    }

    private void flush(Lane lane, Call<T> call) {
        synchronized (this) {
            if (!filling.remove(lane, call)) {
                return;
            }
        }
        send(lane, call.items);
    }

    private void send(Lane lane, List<Pending<T>> items) {
        List<T> sent = items.stream().map(Pending::item).toList();
        BooleanSupplier anyWanted = () -> items.stream().anyMatch(p -> p.wanted().getAsBoolean());
        sender.send(lane, sent, anyWanted).subscribe().with(
                scores -> {
                    for (int i = 0; i < items.size(); i++) {
                        items.get(i).emitter().complete(scores.get(i));
                    }
                },
                failure -> {
                    if (items.size() > 1 && failure instanceof BackendException typed
                            && typed.kind() == BackendException.Kind.REJECTED) {
                        items.forEach(one -> send(lane, List.of(one)));
                    } else {
                        items.forEach(p -> p.emitter().fail(failure));
                    }
                });
    }
}
