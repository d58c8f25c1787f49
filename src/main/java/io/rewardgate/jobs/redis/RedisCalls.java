package io.rewardgate.jobs.redis;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import io.quarkus.logging.Log;
import io.rewardgate.jobs.JobsException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;

/**
 * How the Redis store waits for Redis: the API's requests for {@link #WAIT} (then 503), the answers and
 * acknowledgements that must not be lost until they go through, and one warning when Redis goes out of reach
 * and one line when it is back, whichever thread notices.
 */
final class RedisCalls {

    /** How long a request of the API waits for Redis before it is answered 503. */
    static final Duration WAIT = Duration.ofSeconds(5);

    private final BooleanSupplier stopping;
    private volatile boolean unreachable;

    RedisCalls(BooleanSupplier stopping) {
        this.stopping = stopping;
    }

    /**
     * A call that must not be lost (an answer, an acknowledgement): tried again while Redis is out of reach, and
     * when no answer comes in time (a connection cut as the server restarts can leave a command unanswered). The
     * calls given are safe to make twice.
     */
    Uni<Response> retried(Uni<Response> call) {
        return call.ifNoItem().after(WAIT).fail()
                .onFailure().invoke(this::unreachable)
                .onFailure(failure -> !stopping.getAsBoolean()).retry()
                .withBackOff(Duration.ofMillis(200), Duration.ofSeconds(5)).atMost(Long.MAX_VALUE)
                .invoke(this::reachable);
    }

    /** The answer of a call to Redis for the API, or 503 when Redis does not give one in time. */
    <T> T await(Uni<T> call) {
        try {
            return call.await().atMost(WAIT);
        } catch (JobsException e) {
            throw e;
        } catch (RuntimeException e) {
            throw unavailable(e);
        }
    }

    JobsException unavailable(RuntimeException e) {
        unreachable(e);
        return new JobsException(JobsException.Kind.UNAVAILABLE, "Batches cannot be reached now; try again later.");
    }

    void unreachable(Throwable e) {
        if (!unreachable) {
            Log.warnf("Redis, which keeps the batches, is out of reach (%s); batch work waits for it", e.toString());
        }
        unreachable = true;
    }

    void reachable() {
        if (unreachable) {
            Log.info("Redis, which keeps the batches, answers again; batch work goes on");
        }
        unreachable = false;
    }

    /** Waits between rounds of a background loop; the shutdown ends it. */
    void pause(Duration duration) {
        if (stopping.getAsBoolean()) {
            return;
        }
        try {
            TimeUnit.MILLISECONDS.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
