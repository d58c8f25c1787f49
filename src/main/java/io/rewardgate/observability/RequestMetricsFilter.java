package io.rewardgate.observability;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.inject.Inject;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ResourceInfo;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/** Times every API request by route template and outcome ({@code rewardgate_requests_seconds}). */
public class RequestMetricsFilter {

    private static final String STARTED = RequestMetricsFilter.class.getName() + ".started";

    private final MeterRegistry registry;
    private final Map<Method, String> templates = new ConcurrentHashMap<>();
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();

    @Inject
    public RequestMetricsFilter(MeterRegistry registry) {
        this.registry = registry;
    }

    @ServerRequestFilter(preMatching = true)
    public void start(ContainerRequestContext request) {
        request.setProperty(STARTED, System.nanoTime());
    }

    @ServerResponseFilter
    public void stop(ContainerRequestContext request, ContainerResponseContext response, ResourceInfo resource) {
        Object started = request.getProperty(STARTED);
        Method method = resource == null ? null : resource.getResourceMethod();
        if (!(started instanceof Long start) || method == null) {
            return;
        }
        String endpoint = templates.computeIfAbsent(method, m -> template(resource.getResourceClass(), m));
        String outcome = outcome(response.getStatus());
        timers.computeIfAbsent(endpoint + '|' + outcome, k -> Timer.builder(MetricNames.REQUESTS)
                        .description("API requests by route template and outcome")
                        .tag("endpoint", endpoint)
                        .tag("outcome", outcome)
                        .publishPercentileHistogram()
                        .register(registry))
                .record(Duration.ofNanos(System.nanoTime() - start));
    }

    static String outcome(int status) {
        if (status < 400) {
            return "success";
        }
        if (status == 429) {
            return "rejected";
        }
        return status < 500 ? "client_error" : "server_error";
    }

    private static String template(Class<?> resourceClass, Method method) {
        Path classPath = resourceClass.getAnnotation(Path.class);
        Path methodPath = method.getAnnotation(Path.class);
        String template = (classPath == null ? "" : classPath.value())
                + (methodPath == null ? "" : "/" + methodPath.value());
        return template.replaceAll("/+", "/");
    }
}
