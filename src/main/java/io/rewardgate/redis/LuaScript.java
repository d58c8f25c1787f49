package io.rewardgate.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;

/**
 * A Lua script from {@code src/main/resources/redis/}, run with {@code EVAL}: what it does to its keys is atomic
 * on the server, whichever replica runs it, and costs one round trip.
 */
public final class LuaScript {

    private final String source;

    private LuaScript(String source) {
        this.source = source;
    }

    /** The script {@code redis/<name>.lua} on the class path. */
    public static LuaScript named(String name) {
        String path = "/redis/" + name + ".lua";
        try (InputStream in = LuaScript.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("no script " + path);
            }
            return new LuaScript(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs the script on {@code keys} with {@code args}. */
    public Uni<Response> run(ReactiveRedisDataSource redis, List<String> keys, String... args) {
        List<String> command = new ArrayList<>(2 + keys.size() + args.length);
        command.add(source);
        command.add(Integer.toString(keys.size()));
        command.addAll(keys);
        command.addAll(List.of(args));
        return redis.execute("EVAL", command.toArray(String[]::new));
    }
}
