package io.rewardgate.cache;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.runtime.StartupEvent;
import io.rewardgate.backend.BackendException;
import io.rewardgate.scoring.CacheOutcome;
import io.rewardgate.scoring.RawScores;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;
import io.vertx.core.Vertx;

/**
 * Single-flight across replicas: what the in-process cache does for one replica, a lease in Redis does for
 * all of them. A replica that misses a conversation claims it ({@link RedisTier#claim}): it either finds the
 * scores, or holds the lease and calls the backend, or learns that another replica holds it. The holder
 * renews the lease while its call runs, then stores the scores and publishes a notice on one channel that
 * every replica listens to; a replica that waits gets its answer (scores or the owner's failure) from that
 * notice. A waiter claims again when the lease it saw runs out (its holder died, or no notice can reach it
 * while its subscription is down) and so finds the scores or takes over; without Redis, a replica scores on
 * its own.
 */
@ApplicationScoped
public class SharedFlight {

    static final String CHANNEL = "rewardgate:v1:scored";
    private static final Duration RESUBSCRIBE = Duration.ofSeconds(1);

    /** Where a miss was answered from. */
    public enum Source {
        /** The shared tier had the scores. */
        SHARED_TIER(CacheOutcome.HIT),
        /** This replica called the backend. */
        BACKEND(CacheOutcome.MISS),
        /** Another replica's call in flight was shared. */
        OTHER_REPLICA(CacheOutcome.COALESCED);

        private final CacheOutcome outcome;

        Source(CacheOutcome outcome) {
            this.outcome = outcome;
        }

        public CacheOutcome outcome() {
            return outcome;
        }
    }

    /** Scores and where they came from. */
    public record Loaded(RawScores scores, Source source) {}

    private final RedisTier tier;
    private final Duration lease;
    private final boolean acrossReplicas;
    private final ReactiveRedisDataSource redis;
    private final Vertx vertx;
    private final CacheMetrics metrics;
    private final Map<String, CompletableFuture<Notice>> waiters = new ConcurrentHashMap<>();
    private volatile boolean listening;

    @Inject
    public SharedFlight(CacheConfig config, RedisTier tier, Instance<ReactiveRedisDataSource> redis, Vertx vertx,
            CacheMetrics metrics) {
        this.tier = tier;
        this.lease = config.redis().lease();
        this.acrossReplicas = tier.enabled() && config.redis().singleFlight();
        this.redis = acrossReplicas ? redis.get() : null;
        this.vertx = vertx;
        this.metrics = metrics;
    }

    private SharedFlight() {
        this.tier = RedisTier.off();
        this.lease = Duration.ZERO;
        this.acrossReplicas = false;
        this.redis = null;
        this.vertx = null;
        this.metrics = null;
    }

    /** Without a shared tier: every miss is this replica's backend call. */
    static SharedFlight off() {
        return new SharedFlight();
    }

    void listen(@Observes StartupEvent start) {
        if (acrossReplicas) {
            subscribe();
        }
    }

    /** The scores for a conversation the local tier missed: from Redis, from another replica, or from {@code loader}. */
    public Uni<Loaded> load(CacheKey key, Supplier<Uni<RawScores>> loader) {
        if (!tier.enabled()) {
            return loader.get().map(scores -> new Loaded(scores, Source.BACKEND));
        }
        if (!acrossReplicas) {
            return tier.get(key).flatMap(shared -> shared != null
                    ? Uni.createFrom().item(new Loaded(shared, Source.SHARED_TIER))
                    : alone(key, loader));
        }
        return Uni.createFrom().deferred(() -> claim(key, loader));
    }

    /** Stores fresh scores in the shared tier over whatever it holds; nothing without one. */
    public Uni<Void> replace(CacheKey key, RawScores scores) {
        return tier.put(key, scores);
    }

    private Uni<Loaded> claim(CacheKey key, Supplier<Uni<RawScores>> loader) {
        String sha = key.sha256();
        // Waiting starts before the claim, so that a notice published right after it is not missed.
        CompletableFuture<Notice> notice = waiters.computeIfAbsent(sha, k -> new CompletableFuture<>());
        String token = UUID.randomUUID().toString();
        return tier.claim(key, token, lease).flatMap(claim -> {
            if (!(claim instanceof RedisTier.Claim.Busy)) {
                waiters.remove(sha, notice);
            }
            if (claim instanceof RedisTier.Claim.Found found) {
                return Uni.createFrom().item(new Loaded(found.scores(), Source.SHARED_TIER));
            }
            if (claim instanceof RedisTier.Claim.Owned) {
                return owned(key, token, loader);
            }
            if (claim instanceof RedisTier.Claim.Busy busy) {
                // Not listening yet (just started, or Redis came back): the lease's end tells as well, later.
                return await(key, notice, busy.left(), loader);
            }
            return alone(key, loader);
        });
    }

    /** This replica holds the lease: it calls, renewing the lease meanwhile, and tells the others. */
    private Uni<Loaded> owned(CacheKey key, String token, Supplier<Uni<RawScores>> loader) {
        Duration every = lease.dividedBy(3);
        Cancellable renewal = Multi.createFrom().ticks().startingAfter(every).every(every)
                .onItem().transformToUniAndConcatenate(tick -> tier.renew(key, token, lease))
                .subscribe().with(ignored -> {}, failure -> {});
        return loader.get()
                .onTermination().invoke(renewal::cancel)
                .call(scores -> tier.complete(key, token, scores, CHANNEL, Notice.scored(key, scores)))
                .onFailure().call(failure -> tier.abandon(key, token, CHANNEL, Notice.failed(key, failure)))
                .map(scores -> new Loaded(scores, Source.BACKEND));
    }

    /** Another replica holds the lease: its notice answers, unless the lease runs out first. */
    private Uni<Loaded> await(CacheKey key, CompletableFuture<Notice> notice, Duration left,
            Supplier<Uni<RawScores>> loader) {
        // A little past the lease, so that a holder that renewed in time is seen to hold it still.
        Duration patience = left.plus(lease.dividedBy(10));
        return Uni.createFrom().completionStage(notice::copy)
                .ifNoItem().after(patience).recoverWithItem(() -> null)
                .flatMap(answer -> {
                    if (answer == null) {
                        waiters.remove(key.sha256(), notice);
                        return claim(key, loader);
                    }
                    if (answer.lost()) {
                        return claim(key, loader);
                    }
                    if (answer.failure() != null) {
                        return Uni.createFrom().failure(answer.failure());
                    }
                    metrics.sharedCall(key.model());
                    return Uni.createFrom().item(new Loaded(answer.scores(), Source.OTHER_REPLICA));
                });
    }

    /** Without a lease: the call, then the scores stored for the others. */
    private Uni<Loaded> alone(CacheKey key, Supplier<Uni<RawScores>> loader) {
        return loader.get()
                .call(scores -> tier.put(key, scores))
                .map(scores -> new Loaded(scores, Source.BACKEND));
    }

    private void subscribe() {
        redis.pubsub(String.class)
                .subscribe(CHANNEL, this::received, this::lost, failure -> lost())
                .subscribe().with(subscriber -> {
                    listening = true;
                    Log.debug("Listening for other replicas' scoring notices");
                }, failure -> {
                    Log.debugf("Cannot listen for other replicas' scoring notices yet: %s", failure.toString());
                    vertx.setTimer(RESUBSCRIBE.toMillis(), id -> subscribe());
                });
    }

    private void received(String text) {
        Optional<Notice> notice = Notice.parse(text);
        notice.ifPresent(n -> {
            CompletableFuture<Notice> waiting = waiters.remove(n.sha());
            if (waiting != null) {
                waiting.complete(n);
            }
        });
    }

    /** The subscription ended (Redis went away): waiters claim again, and it is taken up again. */
    private void lost() {
        if (!listening) {
            return;
        }
        listening = false;
        Log.warn("Lost the subscription to other replicas' scoring notices; scoring alone until it is back");
        waiters.keySet().forEach(sha -> {
            CompletableFuture<Notice> waiting = waiters.remove(sha);
            if (waiting != null) {
                waiting.complete(Notice.LOST);
            }
        });
        vertx.setTimer(RESUBSCRIBE.toMillis(), id -> subscribe());
    }

    /**
     * What one replica tells the others about a conversation: {@code <sha> ok <scores>} or
     * {@code <sha> failed <kind> <retry-after millis or -> <message>}.
     */
    record Notice(String sha, RawScores scores, BackendException failure, boolean lost) {

        static final Notice LOST = new Notice("", null, null, true);

        static String scored(CacheKey key, RawScores scores) {
            return key.sha256() + " ok " + RedisTier.encode(scores);
        }

        static String failed(CacheKey key, Throwable failure) {
            BackendException typed = failure instanceof BackendException b ? b
                    : new BackendException(BackendException.Kind.UNAVAILABLE, "The backend could not be reached.");
            String retryAfter = typed.retryAfter().map(d -> Long.toString(d.toMillis())).orElse("-");
            return key.sha256() + " failed " + typed.kind().name() + " " + retryAfter + " " + typed.getMessage();
        }

        static Optional<Notice> parse(String text) {
            String[] parts = text.split(" ", 5);
            try {
                if (parts.length == 3 && parts[1].equals("ok")) {
                    RawScores scores = RedisTier.decode(parts[2]);
                    return scores == null ? Optional.empty() : Optional.of(new Notice(parts[0], scores, null, false));
                }
                if (parts.length == 5 && parts[1].equals("failed")) {
                    Duration retryAfter = parts[3].equals("-") ? null : Duration.ofMillis(Long.parseLong(parts[3]));
                    BackendException failure = new BackendException(BackendException.Kind.valueOf(parts[2]), parts[4],
                            retryAfter, null);
                    return Optional.of(new Notice(parts[0], null, failure, false));
                }
            } catch (IllegalArgumentException unreadable) {
                // A notice from another version of rewardgate: its waiters fall back on the lease.
            }
            return Optional.empty();
        }
    }
}
