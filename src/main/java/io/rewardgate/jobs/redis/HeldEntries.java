package io.rewardgate.jobs.redis;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The stream entries this replica holds (read and not yet acknowledged), by stream: renewed every third of
 * claim-idle, so that no other replica takes them over while this one works on them, however long a line
 * waits for the backend.
 */
final class HeldEntries {

    private final Map<String, Set<String>> byStream = new ConcurrentHashMap<>();

    void add(String stream, String entry) {
        byStream.computeIfAbsent(stream, s -> ConcurrentHashMap.newKeySet()).add(entry);
    }

    void remove(String stream, String entry) {
        Set<String> entries = byStream.get(stream);
        if (entries != null) {
            entries.remove(entry);
            if (entries.isEmpty()) {
                byStream.remove(stream, entries);
            }
        }
    }

    /** Stops renewing every entry of {@code stream}: the stream is gone. */
    void forget(String stream) {
        byStream.remove(stream);
    }

    /** The entries held now, by stream. */
    Map<String, List<String>> snapshot() {
        Map<String, List<String>> copy = new java.util.HashMap<>();
        byStream.forEach((stream, entries) -> {
            List<String> ids = List.copyOf(entries);
            if (!ids.isEmpty()) {
                copy.put(stream, ids);
            }
        });
        return copy;
    }

    int size() {
        return byStream.values().stream().mapToInt(Set::size).sum();
    }
}
