package io.rewardgate.testing;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.Parameters;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.extension.ServeEventListener;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

/**
 * A backend of a hidden capacity, as a GPU server is: with {@code n} of its stub's calls in flight (this one
 * included), it answers after {@code base-ms x max(1, n / capacity)}: flat up to its capacity, rising linearly
 * after. The count is WireMock's: a call leaves it a moment after its answer is sent.
 */
public final class LoadDelay implements ResponseDefinitionTransformerV2, ServeEventListener {

    public static final String NAME = "load-delay";

    private static final AtomicInteger IN_FLIGHT = new AtomicInteger();

    /** Parameters for a stub of {@code capacity} calls at once, each {@code baseMillis} without a queue. */
    public static Parameters capacity(int capacity, int baseMillis) {
        return Parameters.from(Map.of("capacity", capacity, "base-ms", baseMillis));
    }

    @Override
    public ResponseDefinition transform(ServeEvent event) {
        ResponseDefinition answer = event.getResponseDefinition();
        if (!loaded(event)) {
            return answer;
        }
        Parameters parameters = answer.getTransformerParameters();
        int capacity = parameters.getInt("capacity");
        int n = IN_FLIGHT.incrementAndGet();
        long delay = (long) (parameters.getInt("base-ms") * Math.max(1.0, (double) n / capacity));
        return ResponseDefinitionBuilder.like(answer).withFixedDelay((int) delay).build();
    }

    @Override
    public void afterComplete(ServeEvent event, Parameters parameters) {
        if (loaded(event)) {
            IN_FLIGHT.decrementAndGet();
        }
    }

    /** Whether the call matched a stub of this backend: the listener hears every call, the stub names the transformer. */
    private static boolean loaded(ServeEvent event) {
        return event.getStubMapping() != null && event.getStubMapping().getResponse() != null
                && event.getStubMapping().getResponse().getTransformers() != null
                && event.getStubMapping().getResponse().getTransformers().contains(NAME);
    }

    @Override
    public boolean applyGlobally() {
        return true;
    }

    @Override
    public String getName() {
        return NAME;
    }
}
