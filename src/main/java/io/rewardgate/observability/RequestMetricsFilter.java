package io.rewardgate.observability;

import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

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

    private static final String[] OUTCOMES = {"success", "client_error", "rejected", "server_error"};

    private final MeterRegistry registry;
    /** Per resource method, its timer for each outcome, made on first use; no string is built per request. */
    private final Map<Method, Timer[]> timers = new ConcurrentHashMap<>();

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
        Timer[] byOutcome = timers.computeIfAbsent(method, m -> new Timer[OUTCOMES.length]);
        int outcome = outcomeIndex(response.getStatus());
        Timer timer = byOutcome[outcome];
        if (timer == null) {
            // Two threads may get here at once; the registry hands both the same timer.
            timer = Timer.builder(MetricNames.REQUESTS)
                    .description("API requests by route template and outcome")
                    .tag("endpoint", template(resource.getResourceClass(), method))
                    .tag("outcome", OUTCOMES[outcome])
                    .publishPercentileHistogram()
                    .register(registry);
            byOutcome[outcome] = timer;
        }
        timer.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
    }

    private static int outcomeIndex(int status) {
        if (status < 400) {
            return 0;
        }
        if (status == 429) {
            return 2;
        }
        return status < 500 ? 1 : 3;
    }

    public static String template(Class<?> resourceClass, Method method) {
        Path classPath = resourceClass.getAnnotation(Path.class);
        Path methodPath = method.getAnnotation(Path.class);
        String template = (classPath == null ? "" : classPath.value())
                + (methodPath == null ? "" : "/" + methodPath.value());
        return template.replaceAll("/+", "/");
    }
}
