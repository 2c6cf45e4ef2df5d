package io.miaosha.api.openapi;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.miaosha.api.testing.StoreDigest;
import io.miaosha.api.testing.TestSales;
import io.miaosha.api.testing.TestUsers;
import io.miaosha.api.testing.contract.ContractFilter;
import io.miaosha.api.testing.contract.LiveOpenApi;
import io.miaosha.api.testing.fuzz.Exchange;
import io.miaosha.api.testing.fuzz.FuzzBaseline;
import io.miaosha.api.testing.fuzz.Mutations;
import io.miaosha.testsupport.ElasticMqResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.config.EncoderConfig;
import io.restassured.config.HttpClientConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Invariant 8, driven by the OpenAPI document: for every operation it documents, malformed variants of
 * every parameter, header and body field ({@link Mutations}) must never get a 5xx, every 4xx must be a
 * problem+json, and a refused request must leave every table and every Redis key as it was. Seeded
 * ({@code -Dmiaosha.fuzz.seed=N}) so a failure replays; bounded by {@code -Dmiaosha.fuzz.budget}.
 */
@QuarkusTest
@TestProfile(OpenApiFuzzTest.Quiet.class)
// The email queue: sign-ups and resends put verification emails on it.
@QuarkusTestResource(ElasticMqResource.class)
class OpenApiFuzzTest {

    static final long SEED = Long.getLong("miaosha.fuzz.seed", 20261201L);
    static final int RANDOM_CASES = Integer.getInteger("miaosha.fuzz.random-cases", 24);
    static final Duration BUDGET = Duration.parse(System.getProperty("miaosha.fuzz.budget", "PT95S"));

    /** Nothing writes in the background, so any change in the stores is the request's doing. */
    public static class Quiet implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("miaosha.relay.enabled", "false", "miaosha.arming.first-check", "1h", "miaosha.arming.check-every", "1h");
        }
    }

    /**
     * Refusals that write by design: a declined charge is remembered under its Idempotency-Key, so a
     * retry with the same key gets the same answer without charging; a failed log-in is counted by the
     * throttle.
     */
    private static final Map<String, Set<Integer>> REFUSALS_THAT_REMEMBER = Map.of(
            "POST /api/orders/{id}/pay", Set.of(402, 503), "POST /api/auth/login", Set.of(401, 429));

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ContractFilter CONTRACT = new ContractFilter(false);
    private static final RestAssuredConfig RAW = RestAssured.config()
            .encoderConfig(EncoderConfig.encoderConfig().appendDefaultContentCharsetToContentTypeIfUndefined(false)
                    .encodeContentTypeAs("application/x-www-form-urlencoded", io.restassured.http.ContentType.TEXT))
            .httpClient(HttpClientConfig.httpClientConfig().setParam("http.socket.timeout", 15_000)
                    .setParam("http.connection.timeout", 5_000));

    @Inject
    TestUsers users;
    @Inject
    TestSales sales;
    @Inject
    StoreDigest stores;
    @Inject
    Pool sqlClient;

    record Finding(String operation, String what, int status, String kind, String detail) {
        String line() {
            return operation + " | " + what + " | " + (status < 0 ? "no answer" : status) + " | " + kind + ": " + detail;
        }
    }

    /**
     * What the fuzz may leave that would break later tests, removed: the fixtures' hot state (a
     * purchase accepted with a token for no user leaves an outbox entry the relays of later tests
     * refuse forever) and sales stored with an unreadable date (a 500 that still wrote breaks the
     * catalog for everyone). Both are issue 11 findings, reported, not hidden.
     */
    @AfterEach
    void forgetFixtures() {
        fixtureSales.forEach(sales::forgetHotState);
        removeUnreadableSales();
    }

    private static final String UNREADABLE = "s.opens_at IS NULL OR s.closes_at IS NULL OR s.opens_at < '1000-01-01'"
            + " OR s.closes_at > '9999-12-31'";

    private void removeUnreadableSales() {
        // A seated sale's area prices refer to it.
        sqlClient.query("DELETE p FROM sale_area_prices p JOIN sales s ON s.id = p.sale_id WHERE " + UNREADABLE)
                .execute().await().atMost(Duration.ofSeconds(10));
        sqlClient.query("DELETE s FROM sales s WHERE " + UNREADABLE).execute().await().atMost(Duration.ofSeconds(10));
    }

    private final List<Long> fixtureSales = new ArrayList<>();
    private List<String> tags = List.of();
    private boolean lastAccepted;
    private int lastStatus;
    private long fixtureNanos;
    private long sendNanos;
    private long digestNanos;

    @Test
    void malformedRequestsToEveryOperationAreRefusedWithAProblemAndWriteNothing() throws IOException {
        OpenAPI api = LiveOpenApi.of(RestAssured.baseURI, RestAssured.port).model();
        Instant deadline = Instant.now().plus(BUDGET);
        List<Finding> findings = new ArrayList<>();
        Map<String, Integer> sent = new TreeMap<>();
        int skipped = 0;
        List<Map.Entry<String, Map.Entry<String, Operation>>> operations = new ArrayList<>();
        for (String path : new java.util.TreeSet<>(api.getPaths().keySet())) {
            new TreeMap<>(api.getPaths().get(path).readOperationsMap()).forEach((method, operation) ->
                    operations.add(Map.entry(method.name(), Map.entry(path, operation))));
        }
        for (int index = 0; index < operations.size(); index++) {
            String method = operations.get(index).getKey();
            String path = operations.get(index).getValue().getKey();
            Operation operation = operations.get(index).getValue().getValue();
            String name = method + " " + path;
            ProblemResponsesFilter.Rule rule = ProblemResponsesFilter.OPERATIONS.get(name);
            assertTrue(rule != null, name + " has no row in ProblemResponsesFilter.OPERATIONS");

            long started = System.nanoTime();
            FuzzBaseline baseline = new FuzzBaseline(api, users, sales, sqlClient, path);
            fixtureSales.add(baseline.saleId());
            if (baseline.seatedSaleId() > 0) {
                fixtureSales.add(baseline.seatedSaleId());
            }
            Exchange valid = baseline.valid(method, path, operation, rule.caller().name());
            Response answer = sendQuietly(valid);
            if (answer == null || answer.statusCode() >= 300) {
                findings.add(new Finding(name, "the valid request", answer == null ? -1 : answer.statusCode(),
                        "valid request refused", answer == null ? "no answer" : excerpt(answer.asString())));
            }

            // A fresh fixture, so the mutations meet the state the valid request found.
            baseline = new FuzzBaseline(api, users, sales, sqlClient, path);
            fixtureSales.add(baseline.saleId());
            if (baseline.seatedSaleId() > 0) {
                fixtureSales.add(baseline.seatedSaleId());
            }
            valid = baseline.valid(method, path, operation, rule.caller().name());
            SplittableRandom random = new SplittableRandom(SEED ^ name.hashCode());
            List<Mutations.Case> cases = Mutations.of(api, operation, valid, baseline.authorizations(), random, RANDOM_CASES);
            tags = baseline.redisTags();
            StoreDigest.Fingerprint everything = stores.take();
            StoreDigest.Fingerprint before = stores.take(tags);
            fixtureNanos += System.nanoTime() - started;
            boolean accepted = false;
            boolean needsSession = rule.caller() == ProblemResponsesFilter.Caller.USER || rule.caller() == ProblemResponsesFilter.Caller.ADMIN;
            // Each operation gets an equal share of what is left of the budget, so all of them are fuzzed.
            Instant slice = Instant.now().plus(Duration.between(Instant.now(), deadline).dividedBy(operations.size() - index));
            for (Mutations.Case mutation : cases) {
                if (Instant.now().isAfter(slice)) {
                    skipped++;
                    continue;
                }
                sent.merge(name, 1, Integer::sum);
                before = judge(name, mutation, before, findings);
                if (lastStatus >= 200 && lastStatus < 400 && mutation.malformed()) {
                    findings.add(new Finding(name, mutation.what(), lastStatus, "malformed body accepted",
                            "the body is not one UTF-8 JSON object of the documented fields, or not sent as JSON"));
                }
                if (lastStatus >= 200 && lastStatus < 400 && needsSession && mutation.what().contains("Authorization")) {
                    findings.add(new Finding(name, mutation.what(), lastStatus, "broken session accepted",
                            "an endpoint that needs a session answered a request whose Authorization was broken"));
                }
                accepted |= lastAccepted;
            }
            // Around each request only the fixture's keys are compared (cheap); here, every key.
            StoreDigest.Fingerprint everythingAfter = stores.take();
            if (!accepted && !everythingAfter.equals(everything)) {
                findings.add(new Finding(name, "one of its refused requests", 0, "refused but wrote",
                        "outside the fixture's keys: " + difference(everything, everythingAfter)));
            }
        }
        report(findings, sent, skipped);
    }

    /** Sends one case and records what is wrong with the answer; returns the stores' state after it. */
    private StoreDigest.Fingerprint judge(String name, Mutations.Case mutation, StoreDigest.Fingerprint before,
            List<Finding> findings) {
        Response answer;
        long started = System.nanoTime();
        try {
            answer = send(mutation.exchange());
        } catch (RuntimeException failed) {
            CONTRACT.drainViolations();
            findings.add(new Finding(name, mutation.what(), -1, "no answer", excerpt(String.valueOf(failed))));
            lastAccepted = true;
            lastStatus = -1;
            return stores.take(tags);
        }
        sendNanos += System.nanoTime() - started;
        int status = answer.statusCode();
        List<String> disagreements = CONTRACT.drainViolations();
        if (status >= 500) {
            findings.add(new Finding(name, mutation.what(), status, "5xx", excerpt(answer.asString())));
        } else if (status >= 400) {
            String problem = problemShape(answer);
            if (problem != null) {
                findings.add(new Finding(name, mutation.what(), status, "not a problem", problem));
            }
        }
        if (status < 500 && !disagreements.isEmpty()) {
            findings.add(new Finding(name, mutation.what(), status, "contract", firstViolation(disagreements.get(0))));
        }
        started = System.nanoTime();
        StoreDigest.Fingerprint after = stores.take(tags);
        digestNanos += System.nanoTime() - started;
        boolean remembers = REFUSALS_THAT_REMEMBER.getOrDefault(name, Set.of()).contains(status);
        lastAccepted = status < 400 || remembers;
        lastStatus = status;
        if (status >= 400 && !remembers && !after.equals(before)) {
            findings.add(new Finding(name, mutation.what(), status, "refused but wrote", difference(before, after)));
        }
        if (status >= 500) {
            removeUnreadableSales();
            after = stores.take(tags);
        }
        return after;
    }

    /** The answer, or null when none came. */
    private static Response sendQuietly(Exchange exchange) {
        try {
            return send(exchange);
        } catch (RuntimeException e) {
            return null;
        } finally {
            CONTRACT.drainViolations();
        }
    }

    private static Response send(Exchange exchange) {
        // The fuzz judges each answer itself: its own contract filter keeps disagreements instead of throwing.
        RequestSpecification request = given().noFilters().filter(CONTRACT).config(RAW).urlEncodingEnabled(false);
        exchange.headers().forEach(request::header);
        if (exchange.contentType() != null) {
            request.contentType(exchange.contentType());
        }
        byte[] body = exchange.body();
        if (body != null) {
            request.body(body);
        }
        return request.request(exchange.method(), exchange.url());
    }

    /** Null when the answer is an RFC 9457 problem of its own status; else what is wrong. */
    private static String problemShape(Response answer) {
        String contentType = answer.contentType();
        if (contentType == null || !contentType.startsWith("application/problem+json")) {
            return "Content-Type " + contentType + ": " + excerpt(answer.asString());
        }
        try {
            JsonNode problem = JSON.readTree(answer.asByteArray());
            boolean ok = problem.path("type").isTextual() && problem.path("title").isTextual()
                    && problem.path("status").asInt() == answer.statusCode() && !problem.path("detail").asText("").isBlank();
            return ok ? null : "incomplete problem " + excerpt(answer.asString());
        } catch (IOException e) {
            return "unreadable problem " + excerpt(answer.asString());
        }
    }

    private static String difference(StoreDigest.Fingerprint before, StoreDigest.Fingerprint after) {
        List<String> changed = new ArrayList<>();
        after.tables().forEach((table, value) -> {
            if (!value.equals(before.tables().get(table))) {
                changed.add(table + " " + before.tables().get(table) + "→" + value);
            }
        });
        if (after.redisKeys() != before.redisKeys()) {
            changed.add("Redis keys " + before.redisKeys() + "→" + after.redisKeys());
        } else if (!after.redisDigest().equals(before.redisDigest())) {
            changed.add("a Redis value changed");
        }
        return String.join(", ", changed);
    }

    private void report(List<Finding> findings, Map<String, Integer> sent, int skipped) throws IOException {
        int total = sent.values().stream().mapToInt(Integer::intValue).sum();
        StringBuilder summary = new StringBuilder("OpenAPI fuzz, seed " + SEED + ": " + total + " requests to " + sent.size()
                + " operations" + (skipped > 0 ? ", " + skipped + " left out by the time budget" : "") + " (requests "
                + sendNanos / 1_000_000 + " ms, store fingerprints " + digestNanos / 1_000_000 + " ms, fixtures " + fixtureNanos / 1_000_000 + " ms); " + CONTRACT.checked() + " answers checked against the document; "
                + findings.size() + " finding(s).\nRequests per operation: " + sent + "\n");
        Map<String, List<Finding>> classes = new LinkedHashMap<>();
        for (Finding finding : findings) {
            classes.computeIfAbsent(finding.operation() + " | " + finding.status() + " | " + finding.kind(), k -> new ArrayList<>()).add(finding);
        }
        classes.forEach((key, members) -> {
            summary.append("\n").append(key).append(" — ").append(members.size()).append(" case(s), e.g.:\n");
            members.stream().limit(4).forEach(f -> summary.append("    ").append(f.what()).append(" → ").append(f.detail()).append('\n'));
        });
        Path file = Path.of("target", "openapi-fuzz-findings.txt");
        Files.createDirectories(file.getParent());
        Files.writeString(file, summary + "\nAll findings:\n" + String.join("\n", findings.stream().map(Finding::line).toList()) + "\n");
        System.out.println(summary);
        assertTrue(findings.isEmpty(), summary + "\n(every finding: " + file.toAbsolutePath() + ")");
    }

    private static String firstViolation(String message) {
        int at = message.indexOf("\n  - ");
        if (at < 0) {
            return excerpt(message);
        }
        int end = message.indexOf('\n', at + 5);
        return excerpt(message.substring(at + 5, end < 0 ? message.length() : end));
    }

    private static String excerpt(String text) {
        String flat = text.replace('\n', ' ');
        return flat.length() > 240 ? flat.substring(0, 240) + "…" : flat;
    }
}
