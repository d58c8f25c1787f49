package io.rewardgate.security;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.rewardgate.cache.CacheConfig;
import io.rewardgate.redis.ClusterConfig;
import io.smallrye.mutiny.Uni;

/**
 * Each client key's requests per minute ({@code rewardgate.auth.requests-per-minute}): held in Redis for all
 * replicas when the tier is on ({@link SharedQuota}), in this process otherwise ({@link ClientQuota}). Taken
 * by every API request and by every line of a batch as it runs.
 */
@ApplicationScoped
public class ClientQuotas {

    private final int perMinute;
    private final ClientQuota local;
    private final SharedQuota shared;

    @Inject
    public ClientQuotas(AuthConfig config, CacheConfig cache, ClusterConfig cluster,
            Instance<ReactiveRedisDataSource> redis) {
        this.perMinute = config.requestsPerMinute();
        this.local = new ClientQuota(perMinute, System::nanoTime);
        this.shared = cache.redis().enabled() && perMinute > 0
                ? new SharedQuota(redis.get(), perMinute, cluster.replicas(), cache.redis().timeout())
                : null;
    }

    /** The quota of each key, per minute; 0 for none. */
    public int perMinute() {
        return perMinute;
    }

    /** Whether the quota is held in Redis, so that taking from it means asking Redis. */
    public boolean shared() {
        return shared != null;
    }

    /** Takes one request from the key's quota in this process: {@link Duration#ZERO}, or how long until the next. */
    public Duration takeHere(String name) {
        return local.take(name);
    }

    /** Takes one request from the key's quota, wherever it is held: {@link Duration#ZERO}, or how long until the next. */
    public Uni<Duration> take(String name) {
        return shared != null ? shared.take(name) : Uni.createFrom().item(local.take(name));
    }
}
