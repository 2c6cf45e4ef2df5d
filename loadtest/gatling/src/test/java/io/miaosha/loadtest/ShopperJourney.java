package io.miaosha.loadtest;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.bodyString;
import static io.gatling.javaapi.core.CoreDsl.csv;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.rampUsers;
import static io.gatling.javaapi.core.CoreDsl.regex;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;
import static io.gatling.javaapi.http.HttpDsl.ws;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The whole shopper journey of a queued sale, one virtual user per shopper: open the sale's waiting
 * room socket on queue-gateway, wait for the {@code admitted} frame, buy one unit with its admission
 * token on flash-sale-api, pay the order with the test card, and check every answer.
 *
 * <p>The report's entries: {@code join waiting room} (the WebSocket upgrade), {@code admission} (from
 * the join to the admitted frame: the time in the queue), {@code purchase} (202 with the order id),
 * {@code pay} (200, PAID), and the group {@code journey} (join to paid: the end-to-end time). A shopper
 * who is told the sale sold out (or ended) instead of being admitted ends there, counted as
 * {@code not admitted}; one admitted but answered 409 sold-out at the purchase (the last units held by
 * others) as {@code sold out at checkout}. Both journeys are KO (their requests are OK): OK journeys
 * are completed ones.
 *
 * <p>System properties (loadtest/bench-journey.sh sets them): {@code journey.feeder} (CSV
 * {@code userId,token}, one line per shopper), {@code journey.saleId}, {@code journey.api},
 * {@code journey.ws}, {@code journey.shoppers} (300), {@code journey.rampSeconds} (20),
 * {@code journey.admissionTimeoutSeconds} (120), {@code journey.summary} (a file for the counts).
 */
public class ShopperJourney extends Simulation {

    private static final String API = System.getProperty("journey.api", "http://127.0.0.1:18680");
    private static final String WS = System.getProperty("journey.ws", "ws://127.0.0.1:18681");
    private static final String FEEDER = System.getProperty("journey.feeder", "shoppers.csv");
    private static final long SALE = Long.getLong("journey.saleId", 1);
    private static final int SHOPPERS = Integer.getInteger("journey.shoppers", 300);
    private static final int RAMP_SECONDS = Integer.getInteger("journey.rampSeconds", 20);
    private static final int ADMISSION_TIMEOUT = Integer.getInteger("journey.admissionTimeoutSeconds", 120);
    private static final String SUMMARY = System.getProperty("journey.summary", "");
    private static final String TEST_CARD = "4242424242424242";

    // Outcomes beside the report (it counts requests, not why a shopper stopped).
    private static final AtomicInteger PAID = new AtomicInteger();
    private static final AtomicInteger NOT_ADMITTED = new AtomicInteger();
    private static final AtomicInteger SOLD_OUT_AT_CHECKOUT = new AtomicInteger();
    private static final AtomicInteger CHECKOUT_FAILED = new AtomicInteger();
    private static final Map<String, AtomicInteger> END_FRAMES = new ConcurrentHashMap<>();

    private final HttpProtocolBuilder protocol = http.baseUrl(API).wsBaseUrl(WS)
            .acceptHeader("application/json").contentTypeHeader("application/json")
            .userAgentHeader("miaosha-shopper-journey");

    /**
     * Join and wait: any frame that ends the wait (admitted, or the sale's end, or a refusal). The join
     * pays its proof-of-work first, as every scripted client must: the gateway's ALTCHA challenge,
     * solved by brute force (SHA-256 of salt + number).
     */
    private final ChainBuilder waitingRoom = exec(http("join challenge")
            .get(WS.replaceFirst("^ws", "http") + "/ws/sales/" + SALE + "/challenge")
            .check(status().is(200), bodyString().saveAs("challenge")))
            .exec(session -> session.set("altcha", java.net.URLEncoder.encode(solve(session.getString("challenge")),
                    java.nio.charset.StandardCharsets.UTF_8)))
            .exec(ws("join waiting room", "room")
            .connect("/ws/sales/" + SALE + "/queue?altcha=#{altcha}")
            // Browsers cannot set headers on a socket: the session travels as a subprotocol entry.
            .subprotocol("miaosha.v1,bearer.#{token}")
            .await(ADMISSION_TIMEOUT).on(ws.checkTextMessage("admission")
                    .matching(regex("\"type\":\"(admitted|closed|error)\"|\"state\":\"(sold_out|ended|cancelled)\""))
                    .check(jsonPath("$.type").saveAs("frame"),
                            jsonPath("$.token").optional().saveAs("admissionToken"),
                            regex("\"(?:reason|state)\":\"([a-z_-]+)\"").optional().saveAs("endReason"))))
            // Off to the checkout: the slot is kept until the purchase frees it.
            .exec(ws("close socket", "room").close());

    private final ChainBuilder checkout = exec(http("purchase")
            .post("/api/sales/" + SALE + "/purchase")
            .header("Authorization", "Bearer #{token}")
            .header("Admission-Token", "#{admissionToken}")
            .header("Idempotency-Key", "journey-buy-#{userId}")
            .body(StringBody("{\"quantity\":1}"))
            // Sold out at the checkout is an answer, not an error: an admission can come while the last
            // units are held by others (a hold that expires gives them back).
            .check(status().in(202, 409))
            .checkIf((response, session) -> response.status().code() == 202)
            .then(jsonPath("$.status").is("PENDING_PAYMENT"), jsonPath("$.orderId").saveAs("orderId"))
            .checkIf((response, session) -> response.status().code() == 409)
            .then(jsonPath("$.type").is("https://miaosha.dev/problems/sold-out")))
            .doIf(session -> session.contains("orderId")).then(exec(http("pay")
                    .post("/api/orders/#{orderId}/pay")
                    .header("Authorization", "Bearer #{token}")
                    .header("Idempotency-Key", "journey-pay-#{userId}")
                    .body(StringBody("{\"cardNumber\":\"" + TEST_CARD + "\"}"))
                    .check(status().is(200), jsonPath("$.status").is("PAID"), jsonPath("$.orderId").isEL("#{orderId}"))));

    private final ScenarioBuilder journey = scenario("shopper journey")
            .feed(csv(FEEDER).queue())
            .group("journey").on(
                    exec(waitingRoom)
                            // No socket or no frame in time: the check saved nothing.
                            .exec(session -> session.contains("frame") ? session : session.set("frame", "none"))
                            .doIfEqualsOrElse("#{frame}", "admitted").then(
                                    exec(checkout)
                                            .exec(session -> {
                                                if (session.isFailed()) {
                                                    CHECKOUT_FAILED.incrementAndGet();
                                                    return session;
                                                }
                                                if (!session.contains("orderId")) {
                                                    SOLD_OUT_AT_CHECKOUT.incrementAndGet();
                                                    return session.markAsFailed();
                                                }
                                                PAID.incrementAndGet();
                                                return session;
                                            }))
                            .orElse(exec(session -> {
                                NOT_ADMITTED.incrementAndGet();
                                String why = session.getString("frame") + " "
                                        + (session.contains("endReason") ? session.getString("endReason") : "?");
                                END_FRAMES.computeIfAbsent(why, k -> new AtomicInteger()).incrementAndGet();
                                return session.markAsFailed();
                            })));

    {
        setUp(journey.injectOpen(rampUsers(SHOPPERS).during(Duration.ofSeconds(RAMP_SECONDS))))
                .protocols(protocol)
                .maxDuration(Duration.ofSeconds(RAMP_SECONDS + ADMISSION_TIMEOUT + 120L));
    }

    @Override
    public void after() {
        StringBuilder summary = new StringBuilder()
                .append("shoppers=").append(SHOPPERS).append('\n')
                .append("journeys_completed=").append(PAID.get()).append('\n')
                .append("not_admitted=").append(NOT_ADMITTED.get()).append('\n')
                .append("sold_out_at_checkout=").append(SOLD_OUT_AT_CHECKOUT.get()).append('\n')
                .append("checkout_failed=").append(CHECKOUT_FAILED.get()).append('\n');
        END_FRAMES.forEach((why, n) -> summary.append("ended_by=").append(why).append(' ').append(n.get()).append('\n'));
        System.out.print(summary);
        if (!SUMMARY.isEmpty()) {
            try {
                Files.writeString(Path.of(SUMMARY), summary);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** The widget's payload (base64 JSON) for a challenge: tries 0, 1, 2, ... up to its maxnumber. */
    static String solve(String challengeJson) {
        java.util.Map<String, String> fields = new java.util.HashMap<>();
        java.util.regex.Matcher field = java.util.regex.Pattern
                .compile("\"(challenge|salt|signature|maxnumber)\"\\s*:\\s*\"?([^\",}]*)").matcher(challengeJson);
        while (field.find()) {
            fields.put(field.group(1), field.group(2));
        }
        try {
            java.security.MessageDigest sha256 = java.security.MessageDigest.getInstance("SHA-256");
            byte[] target = java.util.HexFormat.of().parseHex(fields.get("challenge"));
            byte[] salt = fields.get("salt").getBytes(java.nio.charset.StandardCharsets.UTF_8);
            long max = Long.parseLong(fields.get("maxnumber"));
            for (long n = 0; n <= max; n++) {
                sha256.update(salt);
                if (java.security.MessageDigest.isEqual(sha256.digest(Long.toString(n).getBytes(java.nio.charset.StandardCharsets.US_ASCII)), target)) {
                    String json = "{\"algorithm\":\"SHA-256\",\"challenge\":\"" + fields.get("challenge") + "\",\"number\":" + n
                            + ",\"salt\":\"" + fields.get("salt") + "\",\"signature\":\"" + fields.get("signature") + "\",\"took\":0}";
                    return java.util.Base64.getEncoder().encodeToString(json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                }
            }
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        throw new IllegalStateException("no number solves the challenge " + challengeJson);
    }
}
