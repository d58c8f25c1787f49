package io.rewardgate.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The packaged jar ({@code target/quarkus-app/quarkus-run.jar}) run as a process of its own, as one replica of
 * a deployment: its own JVM and ports, its log in {@code target/replicas/}, stopped with SIGTERM or killed with
 * SIGKILL. Needs {@code ./mvnw package} first, as the {@code *IT} tests have.
 */
public final class Replica implements AutoCloseable {

    private static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar");
    private static final Pattern API = Pattern.compile("Listening on: http://[^:]+:(\\d+)");
    private static final Pattern MANAGEMENT = Pattern.compile("Management interface listening on http://[^:]+:(\\d+)");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    private final String name;
    private final Process process;
    private final Path log;
    private final int port;
    private final int managementPort;

    private Replica(String name, Process process, Path log, int port, int managementPort) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.port = port;
        this.managementPort = managementPort;
    }

    /** Starts the jar with {@code config} as system properties, on free loopback ports; returns once it listens. */
    public static Replica start(String name, Map<String, String> config) {
        return start(name, config, Map.of());
    }

    /** The same, with {@code env} added to the process's environment variables. */
    public static Replica start(String name, Map<String, String> config, Map<String, String> env) {
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException(JAR + " is missing: run ./mvnw package first");
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx256m");
        command.add("-Dquarkus.http.host=127.0.0.1");
        command.add("-Dquarkus.http.port=0");
        command.add("-Dquarkus.management.host=127.0.0.1");
        command.add("-Dquarkus.management.port=0");
        config.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.add("-jar");
        command.add(JAR.toString());
        try {
            Path log = Path.of("target", "replicas", name + ".log");
            Files.createDirectories(log.getParent());
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            builder.environment().putAll(env);
            Process process = builder.start();
            long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
            while (System.nanoTime() < deadline) {
                String text = Files.readString(log, StandardCharsets.UTF_8);
                Matcher api = API.matcher(text);
                Matcher management = MANAGEMENT.matcher(text);
                if (api.find() && management.find()) {
                    return new Replica(name, process, log, Integer.parseInt(api.group(1)),
                            Integer.parseInt(management.group(1)));
                }
                if (!process.isAlive()) {
                    throw new IllegalStateException("replica " + name + " exited with " + process.exitValue()
                            + " before it listened; its log:\n" + text);
                }
                Thread.sleep(50);
            }
            process.destroyForcibly();
            throw new IllegalStateException("replica " + name + " did not listen within " + START_TIMEOUT);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Starts several replicas at once (their JVMs start in parallel), named {@code prefix-1}, {@code prefix-2}... */
    public static List<Replica> startAll(String prefix, int count, Map<String, String> config) {
        List<CompletableFuture<Replica>> starting = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            String name = prefix + "-" + i;
            starting.add(CompletableFuture.supplyAsync(() -> start(name, config)));
        }
        return starting.stream().map(CompletableFuture::join).toList();
    }

    public String name() {
        return name;
    }

    /** An address on the API port, e.g. {@code uri("/v1/scores")}. */
    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /** An address on the management port, e.g. {@code managementUri("/q/metrics")}. */
    public URI managementUri(String path) {
        return URI.create("http://127.0.0.1:" + managementPort + path);
    }

    /** What the replica has logged so far. */
    public String log() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SIGKILL: the process ends at once, as in a crash or an OOM kill, with nothing run on the way out. */
    public void kill() {
        process.destroyForcibly();
        await();
    }

    /** SIGTERM, as Kubernetes stops a pod; waits for the process to end. */
    public void stop() {
        process.destroy();
        await();
    }

    public boolean alive() {
        return process.isAlive();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            kill();
        }
    }

    private void await() {
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
