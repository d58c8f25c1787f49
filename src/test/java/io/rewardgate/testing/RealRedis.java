package io.rewardgate.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A real {@code redis-server} (from the machine's packages, installed by {@code .ci/run}) on a free port, no
 * persistence, that a test can stop and start again to see the service ride out an outage.
 */
public class RealRedis implements QuarkusTestResourceLifecycleManager {

    private static int port;
    private static Process server;

    @Override
    public Map<String, String> start() {
        port = freePort();
        startServer();
        return Map.of("rewardgate.cache.redis.enabled", "true", "quarkus.redis.hosts", "redis://localhost:" + port);
    }

    @Override
    public void stop() {
        stopServer();
    }

    /** The port of the server this JVM runs. */
    public static int port() {
        return port;
    }

    /** Stops the server at once, as a crash would. */
    public static void stopServer() {
        if (server != null) {
            server.destroyForcibly();
            try {
                server.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            server = null;
        }
    }

    /** Starts the server on the same port, empty. */
    public static void startServer() {
        try {
            server = new ProcessBuilder(List.of("redis-server", "--port", String.valueOf(port), "--save", "",
                            "--appendonly", "no", "--bind", "127.0.0.1"))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("redis-server is needed for this test (apt-get install redis-server)", e);
        }
        for (int i = 0; i < 100; i++) {
            try (Socket socket = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                sleep();
            }
        }
        throw new IllegalStateException("redis-server did not start on port " + port);
    }

    private static void sleep() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
