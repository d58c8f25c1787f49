package io.rewardgate.models;

import java.util.function.BooleanSupplier;

import io.rewardgate.backend.Lane;
import io.rewardgate.cache.CachePolicy;

/**
 * Who asks for scores, and on what terms.
 *
 * @param lane the lane its backend calls wait in
 * @param wanted whether it still wants them when a call could start: a batch line of a cancelled batch does not,
 *     and its call is then not made
 * @param client the client key asking, whose own cache it is when {@code rewardgate.cache.share-across-keys} is
 *     {@code false}; {@code null} without keys
 * @param cache what its {@code Cache-Control} lets the cache do
 */
public record Ask(Lane lane, BooleanSupplier wanted, String client, CachePolicy cache) {

    /** A caller waiting on an HTTP answer. */
    public static Ask interactive(String client, CachePolicy cache) {
        return new Ask(Lane.INTERACTIVE, () -> true, client, cache);
    }

    /** A trainer waiting on an HTTP answer as long as a training step takes: its calls are queued, not refused. */
    public static Ask trainer(String client, CachePolicy cache) {
        return new Ask(Lane.TRAINER, () -> true, client, cache);
    }

    /** A line of a batch job of {@code owner}, while {@code wanted}; batch lines carry no headers. */
    public static Ask batch(BooleanSupplier wanted, String owner) {
        return new Ask(Lane.BATCH, wanted, owner, CachePolicy.USE);
    }
}
