package io.miaosha.functions.schedule;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.miaosha.functions.testing.RecordingEndpoint;
import io.miaosha.functions.testing.RecordingEndpoint.Recorded;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The scheduled-start Lambda with its AWS implementation and wired as the CDK deploys it (key from
 * a Secrets Manager secret, scaling mode aws): the requests it sends (Auto Scaling and Secrets
 * Manager through the AWS SDK, the API through the REST client) are recorded by a local endpoint.
 */
@QuarkusTest
@TestProfile(ScheduledStartHandlerTest.Profile.class)
class ScheduledStartHandlerTest {

    /** The inputs of the two EventBridge Scheduler schedules, exactly as ServerlessStack synthesizes them. */
    static final String ARM_UPCOMING_INPUT = "{\"lookaheadMinutes\":15,\"task\":\"arm-upcoming\"}";
    static final String SCALE_IN_INPUT = "{\"task\":\"scale-in\"}";

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("miaosha.schedule.scaling-mode", "aws",
                    "miaosha.schedule.hot-group", "miaosha-hot-test", "miaosha.schedule.open-instances", "8",
                    "miaosha.schedule.idle-instances", "2",
                    "miaosha.schedule.arming-key-secret-arn", RecordingEndpoint.SECRET_ARN);
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(RecordingEndpoint.class));
        }
    }

    @BeforeEach
    void forget() {
        RecordingEndpoint.REQUESTS.clear();
        RecordingEndpoint.upcomingSales = "[]";
    }

    @Test
    void armUpcomingWithASaleInSightScalesTheHotGroupUpThenArmsAndWarms() {
        RecordingEndpoint.upcomingSales = "[{\"id\":42,\"title\":\"Drop\",\"live\":false}]";

        invoke(ARM_UPCOMING_INPUT).then().statusCode(200).body(equalTo("\"armed sale(s) [42]\""));

        List<Recorded> calls = calls();
        assertEquals(List.of("GET /api/internal/arming/upcoming?lookaheadMinutes=15", "POST /",
                "POST /api/internal/arming/upcoming?lookaheadMinutes=15", "GET /api/sales/42", "GET /api/sales"),
                calls.stream().map(ScheduledStartHandlerTest::line).toList());
        Map<String, String> scale = form(calls.get(1).body());
        assertEquals("UpdateAutoScalingGroup", scale.get("Action"));
        assertEquals("miaosha-hot-test", scale.get("AutoScalingGroupName"));
        assertEquals("8", scale.get("MinSize"));
        assertFalse(scale.containsKey("DesiredCapacity"), "a group its policies grew further keeps its size");
        assertFalse(scale.containsKey("MaxSize"), "the maximum is left alone");
        assertTrue(calls.get(1).authorization().startsWith("AWS4-HMAC-SHA256 Credential=test/"), calls.get(1).authorization());
        assertTrue(calls.get(1).authorization().contains("/autoscaling/aws4_request"));
        assertApiCallsCarryTheKey(List.of(calls.get(0), calls.get(2), calls.get(3), calls.get(4)));
    }

    @Test
    void armUpcomingWithNothingInSightNeitherScalesNorArms() {
        invoke(ARM_UPCOMING_INPUT).then().statusCode(200).body(containsString("no sale live or opening within 15 min"));

        assertEquals(List.of("GET /api/internal/arming/upcoming?lookaheadMinutes=15"), lines());
    }

    @Test
    void scaleInWithNothingInSightShrinksTheHotGroupToItsIdleSize() {
        invoke(SCALE_IN_INPUT).then().statusCode(200).body(equalTo("\"hot group scaled in to 2\""));

        List<Recorded> calls = calls();
        assertEquals(List.of("GET /api/internal/arming/upcoming?lookaheadMinutes=15", "POST /"),
                calls.stream().map(ScheduledStartHandlerTest::line).toList());
        Map<String, String> scale = form(calls.get(1).body());
        assertEquals("UpdateAutoScalingGroup", scale.get("Action"));
        assertEquals("2", scale.get("MinSize"));
        assertEquals("2", scale.get("DesiredCapacity"));
        assertApiCallsCarryTheKey(calls.subList(0, 1));
    }

    @Test
    void scaleInWithASaleLiveOrUpcomingLeavesTheHotGroupAlone() {
        RecordingEndpoint.upcomingSales = "[{\"id\":7,\"live\":true}]";

        invoke(SCALE_IN_INPUT).then().statusCode(200).body(containsString("hot group kept: sale(s) [7]"));

        assertEquals(List.of("GET /api/internal/arming/upcoming?lookaheadMinutes=15"), lines());
    }

    @Test
    void theArmingKeyIsReadOnceFromSecretsManagerAndPresentedToTheApi() {
        invoke(ARM_UPCOMING_INPUT).then().statusCode(200);
        invoke(SCALE_IN_INPUT).then().statusCode(200);

        assertEquals(1, RecordingEndpoint.SECRET_READS.size(), "one read per cold start: " + RecordingEndpoint.SECRET_READS);
        Recorded read = RecordingEndpoint.SECRET_READS.get(0);
        assertEquals("POST", read.method());
        assertEquals("secretsmanager.GetSecretValue", read.target());
        assertTrue(read.contentType().startsWith("application/x-amz-json-1.1"), read.contentType());
        assertTrue(read.body().contains("\"SecretId\":\"" + RecordingEndpoint.SECRET_ARN + "\""), read.body());
        assertTrue(read.authorization().contains("/secretsmanager/aws4_request"), read.authorization());
        assertApiCallsCarryTheKey(calls());
    }

    @Test
    void anUnknownTaskOrABadLookaheadIsRefusedNamingWhatWasWrongAndCallsNothing() {
        Map<String, String> refusals = Map.of(
                "{\"task\":\"explode\"}", "unknown task \\\"explode\\\"",
                "{\"task\":42}", "must name a task",
                "{\"task\":\"arm-upcoming\",\"lookaheadMinutes\":\"soon\"}", "lookaheadMinutes must be a whole number",
                "{\"task\":\"arm-upcoming\",\"lookaheadMinutes\":1.5}", "lookaheadMinutes must be a whole number",
                "{\"task\":\"arm-upcoming\",\"lookaheadMinutes\":0}", "lookaheadMinutes must be from 1 to 1440",
                "{\"task\":\"scale-in\",\"lookaheadMinutes\":1441}", "lookaheadMinutes must be from 1 to 1440",
                "{\"hello\":\"world\"}", "neither an SQS batch nor a scheduler task",
                "{\"detail-type\":\"Scheduled Event\",\"detail\":{\"saleId\":1}}", "neither an SQS batch nor a scheduler task");
        refusals.forEach((input, why) -> invoke(input).then().statusCode(500)
                .body(containsString("IllegalArgumentException")).body(containsString(why)));

        assertEquals(List.of(), RecordingEndpoint.REQUESTS);
    }

    private static io.restassured.response.Response invoke(Object input) {
        return given().contentType("application/json").body(input).post();
    }

    /** This test's requests other than the key read, which happens once per application, in whichever test runs first. */
    private static List<Recorded> calls() {
        return RecordingEndpoint.REQUESTS.stream().filter(request -> request.target() == null).toList();
    }

    private static List<String> lines() {
        return calls().stream().map(ScheduledStartHandlerTest::line).toList();
    }

    private static void assertApiCallsCarryTheKey(List<Recorded> apiCalls) {
        assertFalse(apiCalls.isEmpty());
        apiCalls.stream().filter(call -> call.path().startsWith("/api/")).forEach(call -> {
            // The key goes to the arming endpoints only, never along with a public (cached) catalog read.
            assertEquals(call.path().startsWith("/api/internal/arming/") ? RecordingEndpoint.SECRET_VALUE : null,
                    call.armingKey(), call.toString());
            assertNull(call.authorization(), "no admin session any more: " + call);
            // The API answers JSON only (406 otherwise), as every request must accept.
            assertEquals("application/json", call.accept(), call.toString());
        });
    }

    private static String line(Recorded request) {
        return request.method() + " " + request.path() + (request.query() == null ? "" : "?" + request.query());
    }

    private static Map<String, String> form(String body) {
        Map<String, String> fields = new HashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            fields.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return fields;
    }
}
