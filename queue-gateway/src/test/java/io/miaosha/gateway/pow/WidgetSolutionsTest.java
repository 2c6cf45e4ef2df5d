package io.miaosha.gateway.pow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/**
 * Solutions the altcha npm package's own solver produced (web/scripts/altcha-fixtures.mjs, the widget's
 * v1 path) check out against the gateway's verifier, and the same solutions altered do not: the
 * widget and the gateway agree on the format (salt + decimal number, the payload's fields).
 */
class WidgetSolutionsTest {

    private static final String KEY = "local-dev-pow-key-change-me-in-production";

    private static JsonArray fixtures() throws Exception {
        try (InputStream in = WidgetSolutionsTest.class.getResourceAsStream("/altcha/widget-solutions.json")) {
            return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8)).getJsonArray("fixtures");
        }
    }

    @Test
    void everySolutionOfTheWidgetsSolverIsValidForItsSale() throws Exception {
        JsonArray fixtures = fixtures();
        assertFalse(fixtures.isEmpty());
        for (int i = 0; i < fixtures.size(); i++) {
            JsonObject fixture = fixtures.getJsonObject(i);
            Solutions.Checked checked = Solutions.check(fixture.getString("payload"), fixture.getLong("saleId"), KEY,
                    System.currentTimeMillis());
            assertEquals(Solutions.Check.VALID, checked.check(), fixture.encode());
        }
    }

    @Test
    void theSameSolutionsAlteredOrForAnotherSaleOrKeyAreRefused() throws Exception {
        JsonArray fixtures = fixtures();
        for (int i = 0; i < fixtures.size(); i++) {
            JsonObject fixture = fixtures.getJsonObject(i);
            String payload = fixture.getString("payload");
            long saleId = fixture.getLong("saleId");
            long now = System.currentTimeMillis();
            JsonObject solution = new JsonObject(new String(Base64.getDecoder().decode(payload), StandardCharsets.UTF_8));

            assertEquals(Solutions.Check.INVALID, Solutions.check(encode(solution.copy().put("number", fixture.getLong("number") + 1)),
                    saleId, KEY, now).check(), "another number");
            assertEquals(Solutions.Check.INVALID, Solutions.check(encode(solution.copy().put("signature", "00" + solution.getString("signature").substring(2))),
                    saleId, KEY, now).check(), "another signature");
            assertEquals(Solutions.Check.INVALID, Solutions.check(payload, saleId, "some-other-gateways-key-0123456789abcdef", now).check(),
                    "another key");
            assertEquals(Solutions.Check.OTHER_SALE, Solutions.check(payload, saleId + 1, KEY, now).check(), "another sale");
            assertEquals(Solutions.Check.EXPIRED, Solutions.check(payload, saleId, KEY, 4_102_444_801_000L).check(), "after its expiry");
        }
    }

    private static String encode(JsonObject solution) {
        return Base64.getEncoder().encodeToString(solution.encode().getBytes(StandardCharsets.UTF_8));
    }
}
