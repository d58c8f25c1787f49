package io.rewardgate.testing;

import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.Parameters;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

/**
 * Turns a share of a stub's answers into a transient 503, as the hosted API does under load. Which calls fail
 * follows a random sequence seeded per stub, so a run fails the same calls in order whatever the timing.
 */
public final class TransientFaults implements ResponseDefinitionTransformerV2 {

    public static final String NAME = "transient-faults";

    private final Map<Integer, Random> sequences = new ConcurrentHashMap<>();

    /** Parameters for a stub whose answers fail {@code percent} of the time, in the order {@code seed} draws. */
    public static Parameters failing(int percent, int seed) {
        return Parameters.from(Map.of("percent", percent, "seed", seed));
    }

    @Override
    public ResponseDefinition transform(ServeEvent event) {
        ResponseDefinition answer = event.getResponseDefinition();
        Parameters parameters = answer.getTransformerParameters();
        int percent = parameters.getInt("percent");
        Random sequence = sequences.computeIfAbsent(parameters.getInt("seed"), Random::new);
        boolean fail;
        synchronized (sequence) {
            fail = sequence.nextInt(100) < percent;
        }
        return fail ? new ResponseDefinitionBuilder().withStatus(503).withBody("{\"status\":503}").build() : answer;
    }

    @Override
    public boolean applyGlobally() {
        return false;
    }

    @Override
    public String getName() {
        return NAME;
    }
}
