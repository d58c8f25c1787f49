package io.rewardgate.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import io.rewardgate.testing.FakeNvidia;

/**
 * Runs after the whole test suite and reads everything it logged (Maven keeps each test class's output in
 * target/surefire-reports/): no backend key and no client key, valid or not, may appear anywhere in it.
 */
class SecretsInLogsIT {

    private static final List<String> SECRETS = List.of(
            FakeNvidia.API_KEY, AuthTest.KEY_A, AuthTest.KEY_B, KeyFileTest.OLD, KeyFileTest.NEW,
            "rg-wrong-", "rg-not-a-key-");

    @Test
    void noKeyAppearsInTheLogOfTheTestRun() throws IOException {
        Path reports = Path.of("target", "surefire-reports");
        List<Path> outputs;
        try (Stream<Path> files = Files.list(reports)) {
            outputs = files.filter(f -> f.getFileName().toString().endsWith("-output.txt")).toList();
        }
        assertThat(outputs).as("captured test output in " + reports).hasSizeGreaterThan(10);

        boolean sawMaskedTraffic = false;
        for (Path output : outputs) {
            String log = Files.readString(output, StandardCharsets.UTF_8);
            for (String secret : SECRETS) {
                assertThat(log).as("%s must not contain a key", output.getFileName()).doesNotContain(secret);
            }
            sawMaskedTraffic |= log.contains("Authorization=****");
        }
        assertThat(sawMaskedTraffic).as("the backend's traffic, with its key masked, was logged and captured").isTrue();
    }
}
