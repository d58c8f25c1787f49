package io.rewardgate.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPInputStream;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.trace.v1.Span;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * An OTLP/HTTP trace receiver on a free port, as a collector would be: it decodes the protobuf export requests
 * the service sends to {@code /v1/traces} and keeps their spans. Points the service's exporter at itself over
 * {@code http/protobuf}, with a short batch delay. Init arg {@code hang=true}: it reads each export and never
 * answers, a collector that is up but stuck.
 */
public class OtlpReceiver implements QuarkusTestResourceLifecycleManager {

    private static final List<Span> SPANS = new CopyOnWriteArrayList<>();
    private static final AtomicInteger EXPORTS = new AtomicInteger();

    private HttpServer server;
    private boolean hang;
    private final CountDownLatch stopped = new CountDownLatch(1);

    /** Every span received since the last {@link #clear()}. */
    public static List<Span> spans() {
        return List.copyOf(SPANS);
    }

    /** How many export requests arrived, answered or not. */
    public static int exports() {
        return EXPORTS.get();
    }

    public static void clear() {
        SPANS.clear();
    }

    /** The collector's base URL, as {@code quarkus.otel.exporter.otlp.endpoint} takes it. */
    public String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void init(Map<String, String> initArgs) {
        hang = Boolean.parseBoolean(initArgs.getOrDefault("hang", "false"));
    }

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/v1/traces", this::export);
        server.start();
        SPANS.clear();
        EXPORTS.set(0);
        return Map.of(
                "quarkus.otel.exporter.otlp.traces.endpoint", endpoint() + "/v1/traces",
                "quarkus.otel.exporter.otlp.traces.protocol", "http/protobuf",
                "quarkus.otel.bsp.schedule.delay", "100ms");
    }

    private void export(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body;
            try (InputStream in = "gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))
                    ? new GZIPInputStream(exchange.getRequestBody()) : exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            EXPORTS.incrementAndGet();
            if (hang) {
                stopped.await(5, TimeUnit.MINUTES);
                return;
            }
            ExportTraceServiceRequest request = ExportTraceServiceRequest.parseFrom(body);
            request.getResourceSpansList().forEach(resource -> resource.getScopeSpansList()
                    .forEach(scope -> SPANS.addAll(scope.getSpansList())));
            byte[] answer = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
            exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void stop() {
        stopped.countDown();
        if (server != null) {
            server.stop(0);
        }
    }
}
