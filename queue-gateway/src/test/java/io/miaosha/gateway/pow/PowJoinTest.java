package io.miaosha.gateway.pow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.miaosha.common.queue.QueueKeys;
import io.miaosha.gateway.testing.QueueSales;
import io.miaosha.gateway.testing.RawWebSocket;
import io.miaosha.testsupport.AltchaSolver;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.altcha.altcha.Altcha;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Joining takes an ALTCHA solution of this gateway's challenge for this sale, spent once: a valid one
 * joins, a missing, forged, expired, other-sale or replayed one is told why and joins nothing; the
 * challenge's range grows with the sale's join rate.
 */
@QuarkusTest
class PowJoinTest {

    /** The test profile's key (application.properties): what only the gateway should know. */
    static final String TEST_KEY = "local-dev-pow-key-change-me-in-production";

    @Inject
    RedisDataSource redis;
    @TestHTTPResource("/")
    URL url;
    private QueueSales sales;

    @BeforeEach
    void sales() {
        sales = new QueueSales(redis);
    }

    @AfterEach
    void stopTickingTheSales() {
        sales.unqueueArmed();
    }

    @Test
    void aSolvedChallengeJoinsOnceAndItsReplayIsRefused() throws Exception {
        long saleId = sales.live(10, 1, 600_000);
        AltchaSolver.Challenge challenge = AltchaSolver.fetch(challengeUri(saleId));
        String solution = AltchaSolver.solve(challenge).payload();
        long user = sales.nextUserId();

        try (RawWebSocket socket = open(saleId, AltchaSolver.query(solution), user)) {
            List<String> frames = socket.readTextFrames(2, 5000);
            assertEquals("sale", new JsonObject(frames.getFirst()).getString("type"), frames.toString());
            assertTrue(redis.key().exists(new QueueKeys(saleId).sale().tag() + ":pow:used:" + challenge.challenge()),
                    "the solution is marked spent");
            assertTrue(sales.ticket(saleId, user) != null, "the shopper holds a ticket");
        }

        long other = sales.nextUserId();
        Refused replayed = refused(saleId, AltchaSolver.query(solution), other);
        assertEquals("proof-used", replayed.reason());
        assertEquals(4409, replayed.code());
        assertNull(sales.ticket(saleId, other), "a replay joins nothing");
    }

    @Test
    void aSocketWithoutASolutionIsToldToReloadAndJoinsNothing() throws Exception {
        long saleId = sales.live(10, 1, 600_000);
        long user = sales.nextUserId();

        Refused refused = refused(saleId, "", user);

        assertEquals("proof-missing", refused.reason());
        assertEquals(4401, refused.code());
        assertTrue(refused.message().contains("proof-of-work"), refused.message());
        assertNull(sales.ticket(saleId, user));
    }

    @Test
    void aWrongNumberAForeignSignatureAndGarbageAreRefusedAsInvalid() throws Exception {
        long saleId = sales.live(10, 1, 600_000);
        AltchaSolver.Challenge challenge = AltchaSolver.fetch(challengeUri(saleId));
        AltchaSolver.Solution right = AltchaSolver.solve(challenge);
        String wrongNumber = AltchaSolver.payload(challenge, right.number() + 1, 5);
        AltchaSolver.Challenge foreign = issue("another-key-that-is-not-the-gateways-0123456789", saleId, 60);
        String foreignSigned = AltchaSolver.solve(foreign).payload();
        String sha1 = AltchaSolver.payload(new AltchaSolver.Challenge("SHA-1", challenge.challenge(), challenge.maxNumber(),
                challenge.salt(), challenge.signature()), right.number(), 5);

        for (String forged : List.of(wrongNumber, foreignSigned, sha1, "bm90IGpzb24=", "not base64 at all")) {
            long user = sales.nextUserId();
            Refused refused = refused(saleId, AltchaSolver.query(forged), user);
            assertEquals("proof-invalid", refused.reason(), forged);
            assertEquals(4403, refused.code());
            assertNull(sales.ticket(saleId, user));
        }
    }

    @Test
    void anExpiredSolutionAndOneForAnotherSaleAreRefused() throws Exception {
        long saleId = sales.live(10, 1, 600_000);
        long otherSale = sales.live(10, 1, 600_000);
        String expired = AltchaSolver.solve(issue(TEST_KEY, saleId, -5)).payload();
        String forOther = AltchaSolver.solve(AltchaSolver.fetch(challengeUri(otherSale))).payload();

        Refused late = refused(saleId, AltchaSolver.query(expired), sales.nextUserId());
        assertEquals("proof-expired", late.reason());
        assertEquals(4403, late.code());

        long user = sales.nextUserId();
        Refused elsewhere = refused(saleId, AltchaSolver.query(forOther), user);
        assertEquals("proof-other-sale", elsewhere.reason());
        assertNull(sales.ticket(saleId, user));
    }

    @Test
    void theChallengeRangeGrowsWithTheSalesJoinRate() throws Exception {
        long saleId = sales.live(100, 1, 600_000);
        assertEquals(2000, AltchaSolver.fetch(challengeUri(saleId)).maxNumber(), "a quiet sale costs the base");

        // Solved first, joined in one burst: at least 5 joins land in one second (the test's doubling rate).
        List<String> solutions = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            solutions.add(AltchaSolver.fetchAndSolve(challengeUri(saleId)));
        }
        List<RawWebSocket> sockets = new ArrayList<>();
        try {
            for (String solution : solutions) {
                RawWebSocket socket = open(saleId, AltchaSolver.query(solution), sales.nextUserId());
                sockets.add(socket);
                socket.readTextFrames(1, 5000);
            }
            long busy = AltchaSolver.fetch(challengeUri(saleId)).maxNumber();
            assertTrue(busy >= 4000, "at least doubled after a burst of 12 joins: " + busy);
            assertTrue(busy <= 8000, "never past the ceiling: " + busy);
        } finally {
            for (RawWebSocket socket : sockets) {
                socket.close();
            }
        }
    }

    @Test
    void aChallengeForABadSaleIdIsAProblemAndIssuingWritesNothing() throws Exception {
        var http = java.net.http.HttpClient.newHttpClient();
        var bad = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                "http://127.0.0.1:" + url.getPort() + "/ws/sales/0042/challenge")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(400, bad.statusCode());
        assertEquals("application/problem+json", bad.headers().firstValue("Content-Type").orElse(""));
        assertTrue(bad.body().contains("positive whole number"), bad.body());

        long unknown = sales.unknownSaleId();
        AltchaSolver.fetch(challengeUri(unknown));
        assertEquals(List.of(), sales.keys(unknown), "issuing a challenge leaves no key");
        Refused refused = refused(unknown, AltchaSolver.query(AltchaSolver.fetchAndSolve(challengeUri(unknown))),
                sales.nextUserId());
        assertEquals("sale-not-available", refused.reason());
        assertEquals(List.of(), sales.keys(unknown), "a paid socket for a sale that is not there leaves no key");
    }

    record Refused(String reason, String message, int code) {
    }

    private java.net.URI challengeUri(long saleId) {
        return AltchaSolver.challengeUri("127.0.0.1", url.getPort(), saleId);
    }

    private RawWebSocket open(long saleId, String query, long user) throws Exception {
        return RawWebSocket.openAsGiven("127.0.0.1", url.getPort(), "/ws/sales/" + saleId + "/queue" + query, user, Map.of());
    }

    private Refused refused(long saleId, String query, long user) throws Exception {
        try (RawWebSocket socket = open(saleId, query, user)) {
            RawWebSocket.Close close = socket.awaitClose(5000);
            assertEquals(1, socket.texts.size(), "one error frame, then the close: " + socket.texts);
            JsonObject error = new JsonObject(socket.texts.getFirst());
            assertEquals("error", error.getString("type"));
            assertEquals(error.getString("reason"), close.reason());
            return new Refused(error.getString("reason"), error.getString("message"), close.code());
        }
    }

    /** A challenge as a gateway with {@code key} would issue it, expiring {@code expiresInSeconds} from now. */
    static AltchaSolver.Challenge issue(String key, long saleId, long expiresInSeconds) throws Exception {
        Altcha.Challenge challenge = Altcha.createChallenge(new Altcha.ChallengeOptions().setHmacKey(key).setMaxNumber(2000L)
                .setExpires(System.currentTimeMillis() / 1000 + expiresInSeconds).addParam("sale", Long.toString(saleId)));
        return AltchaSolver.Challenge.parse(ChallengeRoute.json(challenge).encode());
    }
}
