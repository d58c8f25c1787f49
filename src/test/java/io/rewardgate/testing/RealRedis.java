package io.rewardgate.testing;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A real Redis server on a free port, no persistence unless {@link #keepData()} asked for it, that a test can
 * stop and start again to see the service ride out an outage. The {@code redis-server} on the PATH when there is one; otherwise the Redis 6.2 build for
 * this machine that the {@code com.github.codemonstur:embedded-redis} test dependency carries, so the tests
 * need nothing but a JDK.
 */
public class RealRedis implements QuarkusTestResourceLifecycleManager {

    /** The server binaries in the embedded-redis jar, by operating system and architecture. */
    private static final Map<String, String> BUNDLED = Map.of(
            "linux-amd64", "redis-server-6.2.6-v5-linux-amd64",
            "linux-arm64", "redis-server-6.2.7-linux-arm64",
            "mac-amd64", "redis-server-6.2.6-v5-darwin-amd64",
            "mac-arm64", "redis-server-6.2.6-v5-darwin-arm64");

    private static int port;
    private static Process server;
    private static Path data;
    private static List<String> extraArgs = List.of();

    @Override
    public Map<String, String> start() {
        port = freePort();
        startServer();
        return Map.of("rewardgate.cache.redis.enabled", "true", "quarkus.redis.hosts", "redis://localhost:" + port);
    }

    @Override
    public void stop() {
        stopServer();
        extraArgs = List.of();
    }

    /**
     * The next servers this JVM starts run with these settings besides ({@code --maxmemory 32mb}, ...), until
     * {@link #stop()}.
     */
    public static void withArgs(String... args) {
        extraArgs = List.of(args);
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

    /**
     * From now on, the server writes every change to an append-only file before it answers (as a Redis that
     * keeps batches is run), so that one stopped with {@link #stopServer()} starts again with all it held.
     */
    public static void keepData() {
        data = Path.of("target", "redis-data", UUID.randomUUID().toString()).toAbsolutePath();
    }

    /** Starts the server on the same port: empty, or with what it held when {@link #keepData()} was asked. */
    public static void startServer() {
        List<String> command = new ArrayList<>(List.of(binary().toString(), "--port", String.valueOf(port),
                "--save", "", "--bind", "127.0.0.1"));
        command.addAll(extraArgs);
        if (data == null) {
            command.addAll(List.of("--appendonly", "no"));
        } else {
            command.addAll(List.of("--appendonly", "yes", "--appendfsync", "always", "--dir", data.toString()));
        }
        try {
            if (data != null) {
                Files.createDirectories(data);
            }
            server = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start a Redis server", e);
        }
        for (int i = 0; i < 200; i++) {
            try (Socket socket = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                sleep();
            }
        }
        throw new IllegalStateException("Redis did not start on port " + port);
    }

    /** {@code redis-server} from the PATH, else the bundled one, copied out of its jar once per build. */
    static Path binary() {
        Optional<Path> installed = onPath();
        if (installed.isPresent()) {
            return installed.get();
        }
        String platform = platform();
        String name = BUNDLED.get(platform);
        if (name == null) {
            throw new IllegalStateException("no redis-server on the PATH, and none bundled for " + platform);
        }
        Path target = Path.of("target", "redis", name);
        if (!Files.isExecutable(target)) {
            try (InputStream in = RealRedis.class.getResourceAsStream("/" + name)) {
                if (in == null) {
                    throw new IllegalStateException(name + " is missing from the test class path (embedded-redis)");
                }
                Files.createDirectories(target.getParent());
                Path partial = target.resolveSibling(name + ".part");
                Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
                partial.toFile().setExecutable(true);
                Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return target;
    }

    private static Optional<Path> onPath() {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, "redis-server");
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private static String platform() {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        String system = os.contains("mac") ? "mac" : os.contains("linux") ? "linux" : os;
        String cpu = arch.equals("x86_64") || arch.equals("amd64") ? "amd64"
                : arch.equals("aarch64") || arch.equals("arm64") ? "arm64" : arch;
        return system + "-" + cpu;
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
