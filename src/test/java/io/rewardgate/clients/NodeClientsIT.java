package io.rewardgate.clients;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.BufferedReader;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The Node and browser client layer against the packaged jar: {@code clients/run.sh} (the OpenAI Node SDK, Cohere's
 * Node SDK, the TypeScript client generated from openapi.yaml, Swagger UI in Chromium), which says in one line what it skips
 * on a machine without Node 20+ or Chromium and then passes. An IT, so that it runs beside the other ITs;
 * {@code -DskipClients} leaves it out.
 */
@Tag("clients")
class NodeClientsIT {

    @Test
    void theNodeAndBrowserClientsPass() throws Exception {
        assumeFalse(Boolean.getBoolean("skipClients"), "-DskipClients");
        Process run = new ProcessBuilder("sh", "run.sh").directory(new File("clients")).redirectErrorStream(true)
                .start();
        // Through this JVM's own output, which the plugin that forked it reads (a child writing to it directly
        // would garble the plugin's channel).
        try (BufferedReader output = run.inputReader(StandardCharsets.UTF_8)) {
            output.lines().forEach(System.out::println);
        }
        assertThat(run.waitFor(1, TimeUnit.MINUTES)).as("clients/run.sh ended").isTrue();
        assertThat(run.exitValue()).as("exit status of clients/run.sh (its output is above)").isZero();
    }
}
