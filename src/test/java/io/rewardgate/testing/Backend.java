package io.rewardgate.testing;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

/** What the fake backend saw: when each call arrived and how long it was open. */
public final class Backend {

    private Backend() {}

    /** One served call, from its arrival to the end of its answer (its arrival when it was not answered). */
    public record Call(Instant start, Instant end) {}

    public static List<Call> calls(WireMockServer backend) {
        List<Call> calls = new ArrayList<>();
        for (ServeEvent event : backend.getAllServeEvents()) {
            Instant start = event.getRequest().getLoggedDate().toInstant();
            // A call the client gave up on before the answer was sent has no total time.
            Integer total = event.getTiming() == null ? null : event.getTiming().getTotalTime();
            calls.add(new Call(start, total == null ? start : start.plus(Duration.ofMillis(total))));
        }
        calls.sort(Comparator.comparing(Call::start));
        return calls;
    }

    /** The most calls open at one instant. */
    public static int maxOverlap(List<Call> calls) {
        List<long[]> edges = new ArrayList<>();
        for (Call call : calls) {
            edges.add(new long[] {call.start().toEpochMilli(), 1});
            edges.add(new long[] {call.end().toEpochMilli(), -1});
        }
        // At equal times an end comes before a start: a call that ends as another starts does not overlap it.
        edges.sort(Comparator.<long[]>comparingLong(e -> e[0]).thenComparingLong(e -> e[1]));
        int open = 0;
        int max = 0;
        for (long[] edge : edges) {
            open += (int) edge[1];
            max = Math.max(max, open);
        }
        return max;
    }
}
