package io.rewardgate.testing;

/** Reads one series from {@code /q/metrics} on the management port; tests compare values, never absolutes. */
public final class Metrics {

    private Metrics() {}

    /** The value of the series written exactly as Prometheus prints it, e.g. {@code name{a="b"}}; 0 when absent. */
    public static double value(String series) {
        String text = Management.given().get("/q/metrics").then().statusCode(200).extract().asString();
        for (String line : text.split("\n")) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1).trim());
            }
        }
        return 0;
    }
}
