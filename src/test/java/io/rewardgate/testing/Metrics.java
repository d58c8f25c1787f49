package io.rewardgate.testing;

import java.util.Arrays;
import java.util.List;

/** Reads series from {@code /q/metrics} on the management port; tests compare values, never absolutes. */
public final class Metrics {

    private Metrics() {}

    /**
     * The sum of the series matching {@code series}, written as Prometheus prints it ({@code name} or
     * {@code name{a="b",c="d"}}): every series of that name whose labels include those given, whatever its
     * other labels (the {@code model} tag, for one). 0 when none.
     */
    public static double value(String series) {
        int brace = series.indexOf('{');
        String name = brace < 0 ? series : series.substring(0, brace);
        List<String> wanted = brace < 0 ? List.of() : labels(series.substring(brace + 1, series.length() - 1));
        String text = Management.given().get("/q/metrics").then().statusCode(200).extract().asString();
        double sum = 0;
        for (String line : text.split("\n")) {
            if (line.startsWith("#")) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            String key = line.substring(0, Math.max(0, space));
            int open = key.indexOf('{');
            String lineName = open < 0 ? key : key.substring(0, open);
            if (!lineName.equals(name)) {
                continue;
            }
            List<String> have = open < 0 ? List.of() : labels(key.substring(open + 1, key.length() - 1));
            if (have.containsAll(wanted)) {
                sum += Double.parseDouble(line.substring(space + 1).trim());
            }
        }
        return sum;
    }

    /** {@code a="b",c="d"} as its pairs; label values here never hold a comma followed by a quote-free name. */
    private static List<String> labels(String inside) {
        return inside.isEmpty() ? List.of() : Arrays.asList(inside.split(",(?=[a-zA-Z_]+=\")"));
    }
}
