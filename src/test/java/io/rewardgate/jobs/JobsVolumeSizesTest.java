package io.rewardgate.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import io.quarkus.runtime.configuration.MemorySizeConverter;

/**
 * The storage limits of the jobs and the volumes k8s/ gives them agree: with every key's files at the total
 * limit, the volume still has its free-space floor for the outputs and progress of the batches running, and one
 * file fits in one key's share. Checked for the base (an emptyDir with a size limit) and for the production
 * overlay (a ReadWriteMany claim), each with the settings it runs with.
 */
class JobsVolumeSizesTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @Test
    void theBaseVolumeHoldsTheDefaultLimitsAndTheirFloor() throws IOException {
        JsonNode jobs = volume(Path.of("k8s", "base", "deployment.yaml"), "jobs");
        long size = quantity(jobs.path("emptyDir").path("sizeLimit").asText());

        assertAgree(size, settings(Path.of("k8s", "base", "application.properties")));
    }

    @Test
    void theProductionVolumeHoldsItsLimitsAndTheirFloor() throws IOException {
        JsonNode claim = first(Path.of("k8s", "overlays", "production", "jobs-volume.yaml"));
        long size = quantity(claim.path("spec").path("resources").path("requests").path("storage").asText());

        assertAgree(size, settings(Path.of("k8s", "overlays", "production", "application.properties")));
    }

    private static void assertAgree(long volume, Properties settings) {
        long total = bytes(settings, "max-stored-bytes");
        long perKey = bytes(settings, "max-stored-bytes-per-key");
        long floor = bytes(settings, "min-free-space");
        long file = bytes(settings, "max-file-bytes");
        assertThat(total + floor).as("stored files and the free-space floor, within the volume of %d bytes", volume)
                .isLessThanOrEqualTo(volume);
        assertThat(file).as("a file within a key's share").isLessThanOrEqualTo(perKey);
        assertThat(perKey).isLessThanOrEqualTo(total);
    }

    /** The packaged defaults, overridden by the deployment's own file. */
    private static Properties settings(Path overrides) throws IOException {
        Properties settings = new Properties();
        try (Reader defaults = Files.newBufferedReader(Path.of("src", "main", "resources", "application.properties"));
                Reader deployed = Files.newBufferedReader(overrides)) {
            settings.load(defaults);
            settings.load(deployed);
        }
        return settings;
    }

    private static long bytes(Properties settings, String key) {
        String value = settings.getProperty("rewardgate.jobs." + key);
        assertThat(value).as("rewardgate.jobs.%s has a default", key).isNotNull();
        return new MemorySizeConverter().convert(value).asLongValue();
    }

    /** A Kubernetes quantity in bytes: 4Gi, 20Gi, 512Mi. */
    private static long quantity(String text) {
        String unit = text.replaceAll("[0-9.]", "").toLowerCase(Locale.ROOT);
        long number = Long.parseLong(text.replaceAll("[^0-9]", ""));
        long scale = switch (unit) {
            case "ki" -> 1L << 10;
            case "mi" -> 1L << 20;
            case "gi" -> 1L << 30;
            case "ti" -> 1L << 40;
            case "" -> 1;
            default -> throw new IllegalArgumentException("an unexpected quantity: " + text);
        };
        return number * scale;
    }

    private static JsonNode volume(Path manifest, String name) throws IOException {
        for (JsonNode document : documents(manifest)) {
            for (JsonNode volume : document.path("spec").path("template").path("spec").path("volumes")) {
                if (name.equals(volume.path("name").asText())) {
                    return volume;
                }
            }
        }
        throw new AssertionError("no volume " + name + " in " + manifest);
    }

    private static JsonNode first(Path manifest) throws IOException {
        return documents(manifest).get(0);
    }

    private static List<JsonNode> documents(Path manifest) throws IOException {
        try (MappingIterator<JsonNode> documents = YAML.readerFor(JsonNode.class).readValues(manifest.toFile())) {
            return documents.readAll();
        }
    }
}
