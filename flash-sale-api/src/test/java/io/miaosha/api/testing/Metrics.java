package io.miaosha.api.testing;

import static io.restassured.RestAssured.given;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads counters from the Prometheus endpoint. */
public final class Metrics {

    private Metrics() {
    }

    /** The count of purchase attempts with this outcome (lower case, as tagged), 0 when never counted. */
    public static double purchaseOutcome(String outcome) {
        String text = given().get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher matcher = Pattern.compile("(?m)^miaosha_purchase_outcomes_total\\{[^}]*outcome=\"" + outcome + "\"[^}]*} (\\S+)$")
                .matcher(text);
        return matcher.find() ? Double.parseDouble(matcher.group(1)) : 0;
    }
}
