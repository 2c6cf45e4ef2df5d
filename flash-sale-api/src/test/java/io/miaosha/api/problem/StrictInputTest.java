package io.miaosha.api.problem;

import static io.miaosha.api.testing.ProblemJson.assertProblem;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.emptyOrNullString;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.miaosha.api.testing.Stores;
import io.miaosha.api.testing.TestSales;
import io.miaosha.api.testing.TestUser;
import io.miaosha.api.testing.TestUsers;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.config.EncoderConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One value, one spelling: repeated JSON keys, bodies that are not plain UTF-8, ids written any way but
 * plain digits, empty query values and unknown methods are each a clear 4xx problem+json that writes
 * nothing (MySQL row counts and the sale's Redis keys are compared before and after).
 */
@QuarkusTest
class StrictInputTest {

    private static final String SALE = "{sale}";
    private static final String PRODUCT = "{product}";
    private static final String SALE_BODY = "{\"productId\":" + PRODUCT + ",\"title\":\"T\",\"priceMinor\":100,\"currency\":\"EUR\","
            + "\"stock\":5,\"opensAt\":\"2031-01-01T10:00:00Z\",\"closesAt\":\"2031-01-01T11:00:00Z\",\"perUserLimit\":1,\"queueCapacity\":10}";

    @Inject
    TestUsers users;
    @Inject
    TestSales sales;
    @Inject
    Stores stores;
    @ConfigProperty(name = "miaosha.admission.secret")
    String admissionSecret;

    enum Caller { NOBODY, SHOPPER, ADMIN }

    record Call(String method, String path, Caller caller, String body) {
        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    /** Every endpoint that reads a body, each with a valid body and one key repeated (last value valid too). */
    static Stream<Arguments> duplicateKeys() {
        return Stream.of(
                Arguments.of(new Call("POST", "/api/auth/signup", Caller.NOBODY,
                        "{\"email\":\"dup-" + System.nanoTime() + "@example.com\",\"password\":\"x\",\"password\":\"long-enough-1\"}")),
                Arguments.of(new Call("POST", "/api/auth/login", Caller.NOBODY,
                        "{\"email\":\"a@example.com\",\"password\":\"long-enough-1\",\"password\":\"long-enough-1\"}")),
                Arguments.of(new Call("POST", "/api/admin/products", Caller.ADMIN,
                        "{\"sku\":\"a\",\"sku\":\"dup-" + System.nanoTime() + "\",\"name\":\"Tee\"}")),
                Arguments.of(new Call("PUT", "/api/admin/products/" + PRODUCT, Caller.ADMIN,
                        "{\"sku\":\"a\",\"sku\":\"b\",\"name\":\"Tee\"}")),
                Arguments.of(new Call("POST", "/api/admin/sales", Caller.ADMIN, SALE_BODY.replace("\"stock\":5", "\"stock\":9,\"stock\":5"))),
                Arguments.of(new Call("PUT", "/api/admin/sales/" + SALE, Caller.ADMIN, SALE_BODY.replace("\"title\":\"T\"", "\"title\":\"T\",\"title\":\"U\""))),
                Arguments.of(new Call("POST", "/api/sales/" + SALE + "/purchase", Caller.SHOPPER, "{\"quantity\":1,\"quantity\":1}")),
                Arguments.of(new Call("POST", "/api/orders/00000000-0000-7000-8000-000000000000/pay", Caller.SHOPPER,
                        "{\"cardNumber\":\"4242424242424242\",\"cardNumber\":\"4242424242424242\"}")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("duplicateKeys")
    void aRepeatedJsonKeyIsRefusedAndWritesNothing(Call call) {
        assertRefusedAndNothingWritten(call, (request, concrete) -> request.header("Content-Type", "application/json").body(concrete.body()), 400)
                .body("type", org.hamcrest.Matchers.equalTo(Problem.TYPE_BASE + "invalid-request"))
                .body("detail", containsString("Duplicate field"));
    }

    static Stream<Arguments> notPlainUtf8() {
        String login = "{\"email\":\"a@example.com\",\"password\":\"long-enough-1\"}";
        String purchase = "{\"quantity\":1}";
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        List<Arguments> cases = new ArrayList<>();
        for (Call call : List.of(new Call("POST", "/api/auth/login", Caller.NOBODY, login),
                new Call("POST", "/api/sales/" + SALE + "/purchase", Caller.SHOPPER, purchase),
                new Call("POST", "/api/admin/sales", Caller.ADMIN, SALE_BODY))) {
            cases.add(Arguments.of(call, "UTF-8 with BOM", "application/json", concat(bom, call.body().getBytes(StandardCharsets.UTF_8))));
            cases.add(Arguments.of(call, "UTF-16 with BOM", "application/json", call.body().getBytes(StandardCharsets.UTF_16)));
            cases.add(Arguments.of(call, "UTF-16LE", "application/json", call.body().getBytes(StandardCharsets.UTF_16LE)));
            cases.add(Arguments.of(call, "UTF-16BE", "application/json", call.body().getBytes(StandardCharsets.UTF_16BE)));
            cases.add(Arguments.of(call, "UTF-32", "application/json", call.body().getBytes(Charset.forName("UTF-32"))));
            cases.add(Arguments.of(call, "charset=utf-16", "application/json; charset=utf-16",
                    call.body().getBytes(StandardCharsets.UTF_16LE)));
            cases.add(Arguments.of(call, "charset=iso-8859-1", "application/json; charset=iso-8859-1",
                    call.body().getBytes(StandardCharsets.ISO_8859_1)));
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} as {1}")
    @MethodSource("notPlainUtf8")
    void aBodyThatIsNotPlainUtf8IsRefusedAndWritesNothing(Call call, String encoding, String contentType, byte[] body) {
        assertRefusedAndNothingWritten(call, (request, concrete) -> request
                .config(RestAssuredConfig.config().encoderConfig(EncoderConfig.encoderConfig()
                        .appendDefaultContentCharsetToContentTypeIfUndefined(false)))
                .header("Content-Type", contentType).body(body), 400)
                .body("type", org.hamcrest.Matchers.equalTo(Problem.TYPE_BASE + "invalid-request"))
                .body("detail", containsString("UTF-8"));
    }

    @Test
    void aPlainUtf8BodyWithItsCharsetNamedIsAccepted() {
        long saleId = sales.live(5, 1);
        given().header("Authorization", users.shopper().bearer())
                .config(RestAssuredConfig.config().encoderConfig(EncoderConfig.encoderConfig()
                        .appendDefaultContentCharsetToContentTypeIfUndefined(false)))
                .header("Content-Type", "application/json; charset=UTF-8").body("{\"quantity\":1}")
                .post("/api/sales/" + saleId + "/purchase").then().statusCode(202);
    }

    /** Every path with a numeric id, with the verb and body it takes. */
    static final List<Call> ID_PATHS = List.of(
            new Call("GET", "/api/sales/{id}", Caller.NOBODY, null),
            new Call("GET", "/api/sales/{id}/draw", Caller.NOBODY, null),
            new Call("POST", "/api/sales/{id}/purchase", Caller.SHOPPER, "{\"quantity\":1}"),
            new Call("PUT", "/api/admin/sales/{id}", Caller.ADMIN, SALE_BODY),
            new Call("GET", "/api/admin/sales/{id}/queue", Caller.ADMIN, null),
            new Call("GET", "/api/admin/sales/{id}/stats", Caller.ADMIN, null),
            new Call("POST", "/api/admin/sales/{id}/cancel", Caller.ADMIN, null),
            new Call("POST", "/api/admin/sales/{id}/arm", Caller.ADMIN, null),
            new Call("PUT", "/api/admin/products/{product}", Caller.ADMIN, "{\"sku\":\"renamed-sku\",\"name\":\"Renamed\"}"),
            new Call("POST", "/api/internal/arming/sales/{id}", Caller.NOBODY, null));

    static Stream<Arguments> nonCanonicalIds() {
        List<Arguments> cases = new ArrayList<>();
        for (Call call : ID_PATHS) {
            for (String spelling : List.of("+ID", "0ID", "ARABIC", "FULLWIDTH", "0", "-1", "-ID", "99999999999999999999",
                    "9223372036854775808", "ID.0", "1e2", "0x1F", " ID")) {
                cases.add(Arguments.of(call, spelling));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} with id {1}")
    @MethodSource("nonCanonicalIds")
    void anIdNotWrittenInPlainDigitsIsRefusedAndWritesNothing(Call call, String spelling) {
        Fixture fixture = fixture();
        boolean product = call.path().contains("{product}");
        long id = product ? fixture.productId() : fixture.saleId();
        String raw = switch (spelling) {
            case "ARABIC" -> digits(id, '\u0660');
            case "FULLWIDTH" -> digits(id, '\uFF10');
            default -> spelling.replace("ID", Long.toString(id));
        };
        String path = call.path().replace("{id}", raw).replace("{product}", raw);
        Call concrete = new Call(call.method(), path, call.caller(), call.body());
        assertRefusedAndNothingWritten(concrete, fixture, (request, withIds) -> {
            request.header("X-Miaosha-Arming-Key", "test-arming-key");
            return withIds.body() == null ? request : request.header("Content-Type", "application/json").body(withIds.body());
        }, 400).body("type", org.hamcrest.Matchers.equalTo(Problem.TYPE_BASE + "invalid-request"))
                .body("detail", containsString("id"));
    }

    static Stream<Arguments> emptyQueryValues() {
        return Stream.of(
                Arguments.of(new Call("GET", "/api/admin/parked?queue=", Caller.ADMIN, null)),
                Arguments.of(new Call("GET", "/api/admin/parked?limit=", Caller.ADMIN, null)),
                Arguments.of(new Call("GET", "/api/admin/parked?limit", Caller.ADMIN, null)),
                Arguments.of(new Call("POST", "/api/admin/parked/replay?messageId=", Caller.ADMIN, null)),
                Arguments.of(new Call("POST", "/api/admin/parked/replay?queue=&limit=5", Caller.ADMIN, null)),
                Arguments.of(new Call("GET", "/api/me/orders?limit=", Caller.SHOPPER, null)),
                Arguments.of(new Call("GET", "/api/admin/parked?limit=+5", Caller.ADMIN, null)),
                Arguments.of(new Call("GET", "/api/admin/parked?limit=05", Caller.ADMIN, null)),
                Arguments.of(new Call("GET", "/api/me/orders?limit=%D9%A5", Caller.SHOPPER, null)),
                Arguments.of(new Call("GET", "/api/me/orders?limit=abc", Caller.SHOPPER, null)),
                Arguments.of(new Call("GET", "/api/internal/arming/upcoming?lookaheadMinutes=", Caller.NOBODY, null)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("emptyQueryValues")
    void anEmptyOrNonCanonicalQueryValueIsRefusedNotReadAsAll(Call call) {
        assertRefusedAndNothingWritten(call, (request, concrete) -> request.urlEncodingEnabled(false)
                .header("X-Miaosha-Arming-Key", "test-arming-key"), 400)
                .body("type", org.hamcrest.Matchers.equalTo(Problem.TYPE_BASE + "invalid-request"));
    }

    static Stream<Arguments> wrongMethods() {
        return Stream.of(
                Arguments.of(new Call("DELETE", "/api/sales/" + SALE, Caller.ADMIN, null)),
                Arguments.of(new Call("GET", "/api/sales/" + SALE + "/purchase", Caller.SHOPPER, null)),
                Arguments.of(new Call("PUT", "/api/sales/" + SALE + "/purchase", Caller.SHOPPER, "{\"quantity\":1}")),
                Arguments.of(new Call("GET", "/api/auth/login", Caller.NOBODY, null)),
                Arguments.of(new Call("PATCH", "/api/admin/sales/" + SALE, Caller.ADMIN, SALE_BODY)),
                Arguments.of(new Call("DELETE", "/api/admin/products/" + PRODUCT, Caller.ADMIN, null)),
                Arguments.of(new Call("GET", "/api/admin/sales/" + SALE + "/cancel", Caller.ADMIN, null)),
                Arguments.of(new Call("PUT", "/api/internal/arming/upcoming", Caller.NOBODY, null)),
                Arguments.of(new Call("DELETE", "/api/admin/parked", Caller.ADMIN, null)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("wrongMethods")
    void aWrongMethodIsA405ProblemAndWritesNothing(Call call) {
        assertRefusedAndNothingWritten(call, (request, concrete) -> concrete.body() == null ? request
                : request.header("Content-Type", "application/json").body(concrete.body()), 405)
                .body("type", org.hamcrest.Matchers.equalTo("about:blank"));
    }

    static Stream<Arguments> malformedAdmissionTokens() {
        return Stream.of(Arguments.of("garbage"), Arguments.of("a.b.c"), Arguments.of("..."), Arguments.of("a.b"),
                Arguments.of("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.e30.!!!"),
                Arguments.of("SIGNED:{\"aud\":\"miaosha-purchase\",\"sub\":\"5"),
                Arguments.of("SIGNED:{\"aud\":\"miaosha-purchase\",\"sub\":\"x\",\"sale\":1,\"wend\":1,\"jti\":\"j\"}"),
                Arguments.of("SIGNED:{\"aud\":\"miaosha-purchase\",\"sub\":\"5\",\"sale\":,\"wend\":1,\"jti\":\"j\"}"),
                Arguments.of("SIGNED:{\"aud\":\"miaosha-purchase\",\"sub\":\"5\",\"sale\":99999999999999999999999,\"wend\":1,\"jti\":\"j\"}"),
                Arguments.of("SIGNED:{\"aud\":\"miaosha-purchase\",\"sub\":\"5\",\"sale\":1,\"wend\":1,\"jti\":\"j"),
                Arguments.of("SIGNED:not json at all"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedAdmissionTokens")
    void aMalformedAdmissionTokenIsRefusedAndWritesNothing(String token) {
        String value = token.startsWith("SIGNED:") ? signed(token.substring("SIGNED:".length())) : token;
        Call call = new Call("POST", "/api/sales/" + SALE + "/purchase", Caller.SHOPPER, "{\"quantity\":1}");
        assertRefusedAndNothingWritten(call, (request, concrete) -> request.header("Admission-Token", value)
                .header("Content-Type", "application/json").body(concrete.body()), 403)
                .body("type", org.hamcrest.Matchers.equalTo(Problem.TYPE_BASE + "admission-invalid"));
    }

    private record Fixture(long saleId, long productId) {
    }

    private Fixture fixture() {
        long saleId = sales.live(10, 2);
        // One unit held, so the sale's Redis state is complete before the refused call.
        given().header("Authorization", users.shopper().bearer()).header("Content-Type", "application/json")
                .body("{\"quantity\":1}").post("/api/sales/" + saleId + "/purchase").then().statusCode(202);
        return new Fixture(saleId, stores.count("SELECT product_id FROM sales WHERE id = ?", saleId));
    }

    private ValidatableResponse assertRefusedAndNothingWritten(Call call,
            BiFunction<RequestSpecification, Call, RequestSpecification> build, int status) {
        return assertRefusedAndNothingWritten(call, fixture(), build, status);
    }

    /** Sends the call with the fixture's ids filled in and asserts the problem and that neither store moved. */
    private ValidatableResponse assertRefusedAndNothingWritten(Call call, Fixture fixture,
            BiFunction<RequestSpecification, Call, RequestSpecification> build, int status) {
        RequestSpecification request = given();
        switch (call.caller()) {
            case SHOPPER -> request.header("Authorization", users.shopper().bearer());
            case ADMIN -> request.header("Authorization", users.admin().bearer());
            case NOBODY -> { }
        }
        Call concrete = new Call(call.method(), fill(call.path(), fixture), call.caller(),
                call.body() == null ? null : fill(call.body(), fixture));
        Map<String, Long> before = stores.tableCounts();
        String redisBefore = stores.snapshot(fixture.saleId());

        ValidatableResponse response = assertProblem(build.apply(request, concrete).request(concrete.method(), concrete.path()).then(),
                status, slugOf(status));

        assertEquals(before, stores.tableCounts(), "MySQL changed");
        assertEquals(redisBefore, stores.snapshot(fixture.saleId()), "Redis changed");
        return response.body("detail", not(emptyOrNullString()));
    }

    private static String fill(String text, Fixture fixture) {
        return text.replace(SALE, Long.toString(fixture.saleId())).replace(PRODUCT, Long.toString(fixture.productId()));
    }

    private static String slugOf(int status) {
        return switch (status) {
            case 400 -> "invalid-request";
            case 403 -> "admission-invalid";
            default -> null;
        };
    }

    private String signed(String payload) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String input = b64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(payload.getBytes(StandardCharsets.UTF_8));
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(admissionSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return input + "." + b64.encodeToString(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String digits(long id, char zero) {
        StringBuilder out = new StringBuilder();
        for (char c : Long.toString(id).toCharArray()) {
            out.append((char) (zero + (c - '0')));
        }
        return out.toString();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
