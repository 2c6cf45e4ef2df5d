package io.miaosha.functions.schedule;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.miaosha.functions.testing.RecordingEndpoint;
import io.miaosha.functions.testing.RecordingEndpoint.Recorded;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The scheduled-start Lambda with its AWS implementation: the requests it sends (Auto Scaling
 * through the AWS SDK, the API through the REST client) are recorded by a local endpoint.
 */
@QuarkusTest
@TestProfile(ScheduledStartHandlerTest.Profile.class)
class ScheduledStartHandlerTest {

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("miaosha.schedule.scaling-mode", "aws",
                    "miaosha.schedule.hot-group", "miaosha-hot-test", "miaosha.schedule.open-instances", "8",
                    "miaosha.schedule.idle-instances", "2");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(RecordingEndpoint.class));
        }
    }

    @BeforeEach
    void forget() {
        RecordingEndpoint.REQUESTS.clear();
    }

    @Test
    void openScalesTheHotGroupUpThenArmsAndWarmsTheSale() {
        given().contentType("application/json").body(event(42, "OPEN")).post()
                .then().statusCode(200).body(equalTo("\"opened sale 42\""));

        List<Recorded> requests = RecordingEndpoint.REQUESTS;
        assertEquals(5, requests.size(), requests.toString());
        Recorded scale = requests.get(0);
        assertEquals("POST", scale.method());
        Map<String, String> form = form(scale.body());
        assertEquals("UpdateAutoScalingGroup", form.get("Action"));
        assertEquals("miaosha-hot-test", form.get("AutoScalingGroupName"));
        assertEquals("8", form.get("MinSize"));
        assertEquals("8", form.get("DesiredCapacity"));
        assertTrue(!form.containsKey("MaxSize"), "the maximum is left alone");
        assertTrue(scale.authorization().startsWith("AWS4-HMAC-SHA256 Credential=test/"), "signed with SigV4: " + scale.authorization());
        assertTrue(scale.authorization().contains("/autoscaling/aws4_request"));

        assertEquals("POST /api/auth/login", line(requests.get(1)));
        assertTrue(requests.get(1).body().contains("\"email\":\"admin@test.com\""));
        assertEquals("POST /api/admin/sales/42/arm", line(requests.get(2)));
        assertEquals("Bearer admin-token", requests.get(2).authorization());
        // The API answers JSON only (406 otherwise), as every request must accept.
        requests.subList(1, 5).forEach(request -> assertEquals("application/json", request.accept(), request.toString()));
        assertEquals("GET /api/sales/42", line(requests.get(3)));
        assertEquals("GET /api/sales", line(requests.get(4)));
    }

    @Test
    void closeScalesTheHotGroupBackDownAndTouchesNothingElse() {
        given().contentType("application/json").body(event(42, "CLOSE")).post()
                .then().statusCode(200).body(equalTo("\"closed sale 42\""));

        assertEquals(1, RecordingEndpoint.REQUESTS.size(), RecordingEndpoint.REQUESTS.toString());
        Map<String, String> form = form(RecordingEndpoint.REQUESTS.get(0).body());
        assertEquals("UpdateAutoScalingGroup", form.get("Action"));
        assertEquals("2", form.get("MinSize"));
        assertEquals("2", form.get("DesiredCapacity"));
    }

    @Test
    void eventWithoutASaleIsRefusedAndCallsNothing() {
        given().contentType("application/json").body(Map.of("detail-type", "Scheduled Event", "detail", Map.of("phase", "OPEN")))
                .post().then().statusCode(500);
        assertEquals(List.of(), RecordingEndpoint.REQUESTS);
    }

    /** An EventBridge scheduled event, as EventBridge Scheduler delivers it with our detail. */
    static Map<String, Object> event(long saleId, String phase) {
        return Map.of("version", "0", "id", "e-1", "detail-type", "Miaosha Sale Schedule", "source", "miaosha.scheduler",
                "account", "000000000000", "time", "2026-12-01T09:55:00Z", "region", "eu-west-1",
                "resources", List.of(), "detail", Map.of("saleId", saleId, "phase", phase));
    }

    private static String line(Recorded request) {
        return request.method() + " " + request.path();
    }

    private static Map<String, String> form(String body) {
        Map<String, String> fields = new java.util.HashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            fields.put(java.net.URLDecoder.decode(pair.substring(0, eq), java.nio.charset.StandardCharsets.UTF_8),
                    java.net.URLDecoder.decode(pair.substring(eq + 1), java.nio.charset.StandardCharsets.UTF_8));
        }
        return fields;
    }
}
