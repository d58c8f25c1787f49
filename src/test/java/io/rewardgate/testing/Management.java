package io.rewardgate.testing;

import io.quarkus.test.common.http.TestHTTPResourceManager;
import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;

/** Requests to the management interface, where health and metrics live apart from the API port. */
public final class Management {

    private Management() {}

    /** A request whose paths are relative to the management port's root, e.g. {@code /q/health/ready}. */
    public static RequestSpecification given() {
        return RestAssured.given().baseUri(root());
    }

    /** {@code http://host:port} of the running instance's management interface. */
    public static String root() {
        String uri = TestHTTPResourceManager.getManagementUri();
        int path = uri.indexOf('/', uri.indexOf("://") + 3);
        return path < 0 ? uri : uri.substring(0, path);
    }
}
