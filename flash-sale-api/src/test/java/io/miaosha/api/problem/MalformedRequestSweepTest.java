package io.miaosha.api.problem;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.miaosha.api.testing.TestSales;
import io.miaosha.api.testing.TestUser;
import io.miaosha.api.testing.TestUsers;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A sweep, not a proof: several hundred malformed requests (broken JSON, wrong types, huge numbers,
 * missing and repeated fields, bad headers, odd paths, every other method) against every endpoint.
 * None may answer 5xx, and every refusal must be problem+json. Stores are compared per class of bad
 * input in {@link StrictInputTest} and {@link BadInputTest}; here valid variants may succeed.
 * (A request line over 4 KB is answered 414 by the HTTP server itself, before any of our code; the
 * edge answers that one, so it is left out.)
 */
@QuarkusTest
class MalformedRequestSweepTest {

    private static final List<String> BROKEN_BODIES = List.of("{", "[]", "null", "1", "\"x\"", "{\"a\":1}{", "\u0000",
            "{\"x\":" + "9".repeat(400) + "}", "{".repeat(2000), "[".repeat(5000), "{\"a\":\"\\ud800\"}", "{\"a\":1e99999}",
            "{\"a\":NaN}", "{'a':1}", "{\"a\":1,}");
    private static final List<Object> BAD_VALUES = List.of("", " ", "x".repeat(5000), -1, 0, Long.MAX_VALUE,
            new java.math.BigInteger("99999999999999999999999"), 1e308, 1.5, true, List.of(), Map.of(), "\u0000", "٣", "+1",
            "-0001-01-01T00:00:00Z", "+10000-01-01T00:00:00Z");
    private static final List<Map<String, String>> BAD_HEADERS = List.of(Map.of("Authorization", "Bearer"),
            Map.of("Authorization", "Bearer x.y.z"), Map.of("Authorization", "Basic YTpi"),
            Map.of("Authorization", "Bearer " + "a".repeat(6000)), Map.of("Content-Type", "application/json; charset=utf-16"),
            Map.of("Content-Type", "text/plain"), Map.of("Accept", "application/xml"), Map.of("Idempotency-Key", "x".repeat(500)),
            Map.of("Admission-Token", "a.b.c"), Map.of("Admission-Token", "ÿ"), Map.of("X-Miaosha-Arming-Key", "wrong"),
            Map.of("If-None-Match", "\"" + "x".repeat(1000)));

    @Inject
    TestUsers users;
    @Inject
    TestSales sales;
    @TestHTTPResource("/")
    URI base;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    record Endpoint(String method, String path, Map<String, String> headers, Map<String, Object> body) {
    }

    @Test
    void noMalformedRequestGetsA5xxAndEveryRefusalIsProblemJson() throws Exception {
        TestUser shopper = users.shopper();
        TestUser admin = users.admin();
        long saleId = sales.live(100_000, 1000);
        long productId = sales.product();
        Map<String, String> asShopper = Map.of("Authorization", shopper.bearer());
        Map<String, String> asAdmin = Map.of("Authorization", admin.bearer());
        Map<String, String> withKey = Map.of("X-Miaosha-Arming-Key", "test-arming-key");
        String order = "00000000-0000-7000-8000-000000000000";
        Map<String, Object> sale = new LinkedHashMap<>(Map.of("productId", productId, "title", "T", "priceMinor", 100,
                "currency", "EUR", "stock", 5, "opensAt", "2031-01-01T10:00:00Z", "closesAt", "2031-01-01T11:00:00Z",
                "perUserLimit", 1, "queueCapacity", 10));
        List<Endpoint> endpoints = List.of(
                new Endpoint("POST", "/api/auth/signup", Map.of(), Map.of("email", "sweep@example.com", "password", "long-enough-1")),
                new Endpoint("POST", "/api/auth/login", Map.of(), Map.of("email", "sweep@example.com", "password", "long-enough-1")),
                new Endpoint("GET", "/api/me", asShopper, null),
                new Endpoint("GET", "/api/sales", Map.of(), null),
                new Endpoint("GET", "/api/sales/" + saleId, Map.of(), null),
                new Endpoint("POST", "/api/sales/" + saleId + "/purchase", asShopper, Map.of("quantity", 1)),
                new Endpoint("GET", "/api/orders/" + order, asShopper, null),
                new Endpoint("GET", "/api/me/orders", asShopper, null),
                new Endpoint("POST", "/api/orders/" + order + "/pay", Map.of("Authorization", shopper.bearer(), "Idempotency-Key", "p1"),
                        Map.of("cardNumber", "4000000000000002")),
                new Endpoint("GET", "/api/admin/parked", asAdmin, null),
                new Endpoint("POST", "/api/admin/parked/replay?messageId=none", asAdmin, null),
                new Endpoint("POST", "/api/admin/products", asAdmin, Map.of("sku", "sweep-" + System.nanoTime(), "name", "Tee")),
                new Endpoint("GET", "/api/admin/products", asAdmin, null),
                new Endpoint("PUT", "/api/admin/products/" + productId, asAdmin, Map.of("sku", "sweep-" + productId, "name", "Tee")),
                new Endpoint("POST", "/api/admin/sales", asAdmin, sale),
                new Endpoint("PUT", "/api/admin/sales/" + saleId, asAdmin, sale),
                new Endpoint("GET", "/api/admin/sales/" + saleId + "/queue", asAdmin, null),
                new Endpoint("GET", "/api/admin/sales/" + saleId + "/stats", asAdmin, null),
                new Endpoint("POST", "/api/admin/sales/" + saleId + "/arm", asAdmin, null),
                new Endpoint("GET", "/api/internal/arming/upcoming?lookaheadMinutes=15", withKey, null),
                new Endpoint("POST", "/api/internal/arming/sales/" + saleId, withKey, null),
                new Endpoint("GET", "/api/ping", Map.of(), null));

        List<String> failures = new ArrayList<>();
        int sent = 0;
        for (Endpoint endpoint : endpoints) {
            String valid = endpoint.body() == null ? null : json(endpoint.body());
            List<String[]> variants = new ArrayList<>(); // method, path, body, extra header name, value
            if (endpoint.body() != null) {
                for (String broken : BROKEN_BODIES) {
                    variants.add(new String[] {endpoint.method(), endpoint.path(), broken});
                }
                for (String field : endpoint.body().keySet()) {
                    for (Object bad : BAD_VALUES) {
                        Map<String, Object> body = new LinkedHashMap<>(endpoint.body());
                        body.put(field, bad);
                        variants.add(new String[] {endpoint.method(), endpoint.path(), json(body)});
                    }
                    Map<String, Object> missing = new LinkedHashMap<>(endpoint.body());
                    missing.remove(field);
                    variants.add(new String[] {endpoint.method(), endpoint.path(), json(missing)});
                    variants.add(new String[] {endpoint.method(), endpoint.path(),
                            valid.substring(0, valid.length() - 1) + "," + "\"" + field + "\":null}"});
                }
            }
            for (Map<String, String> header : BAD_HEADERS) {
                Map.Entry<String, String> h = header.entrySet().iterator().next();
                variants.add(new String[] {endpoint.method(), endpoint.path(), valid, h.getKey(), h.getValue()});
            }
            for (String path : List.of(endpoint.path() + "/", endpoint.path() + (endpoint.path().contains("?") ? "&" : "?") + "a=1&a=2",
                    endpoint.path() + (endpoint.path().contains("?") ? "&" : "?") + "limit=99999999999", endpoint.path().replace("/api/", "/api//"),
                    endpoint.path() + "%00", endpoint.path() + (endpoint.path().contains("?") ? "&" : "?") + "x=")) {
                variants.add(new String[] {endpoint.method(), path, valid});
            }
            for (String method : List.of("GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS")) {
                if (!method.equals(endpoint.method())) {
                    variants.add(new String[] {method, endpoint.path(), valid});
                }
            }
            for (String[] variant : variants) {
                Map<String, String> headers = new LinkedHashMap<>(endpoint.headers());
                if (variant[2] != null) {
                    headers.put("Content-Type", "application/json");
                }
                if (variant.length == 5) {
                    headers.put(variant[3], variant[4]);
                }
                HttpResponse<String> response = send(variant[0], variant[1], headers, variant[2]);
                sent++;
                int status = response.statusCode();
                String type = response.headers().firstValue("Content-Type").orElse("");
                if (status >= 500 || (status >= 400 && !type.startsWith(ProblemMapper.PROBLEM_JSON))) {
                    failures.add(status + " " + type + " " + variant[0] + " " + variant[1] + " "
                            + (variant.length == 5 ? variant[3] + ": " + abbreviate(variant[4]) + " " : "")
                            + abbreviate(variant[2]) + " -> " + abbreviate(response.body()));
                }
            }
        }
        io.quarkus.logging.Log.infof("malformed-request sweep: %d requests, %d failures", sent, failures.size());
        assertTrue(sent > 500, "a sweep of several hundred requests, sent " + sent);
        assertTrue(failures.isEmpty(), failures.size() + " of " + sent + " requests got a 5xx or a refusal that is not"
                + " problem+json:\n" + String.join("\n", failures));
    }

    private HttpResponse<String> send(String method, String path, Map<String, String> headers, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path.startsWith("/") ? path.substring(1) : path))
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        headers.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String json(Map<String, Object> body) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String abbreviate(String text) {
        return text == null ? "" : text.length() > 120 ? text.substring(0, 120) + "…" : text;
    }
}
