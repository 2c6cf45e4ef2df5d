package io.miaosha.gateway.pow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.miaosha.gateway.testing.QueueSales;
import io.miaosha.gateway.testing.RawWebSocket;
import io.miaosha.testsupport.AltchaSolver;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.net.URL;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * At most N joins per account and per client address on one sale per window, each with its own valid
 * solution; the address comes from X-Forwarded-For only when the peer is a trusted proxy (loopback
 * here, like the local nginx).
 */
@QuarkusTest
@TestProfile(JoinLimitsTest.Limits.class)
class JoinLimitsTest {

    public static class Limits implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("miaosha.pow.joins-per-account", "2", "miaosha.pow.joins-per-address", "3",
                    "miaosha.pow.limit-window", "60s");
        }
    }

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
    void anAccountJoinsTwiceAMinuteAndIsToldToWaitTheThirdTime() throws Exception {
        long saleId = sales.live(10, 1, 600_000);
        long user = sales.nextUserId();
        for (int i = 0; i < 2; i++) {
            try (RawWebSocket socket = join(saleId, user, "198.51.100." + (10 + i))) {
                assertEquals("sale", new JsonObject(socket.readTextFrames(1, 5000).getFirst()).getString("type"));
            }
        }
        try (RawWebSocket third = join(saleId, user, "198.51.100.20")) {
            RawWebSocket.Close close = third.awaitClose(5000);
            JsonObject error = new JsonObject(third.texts.getFirst());
            assertEquals("too-many-joins", error.getString("reason"));
            assertEquals(4429, close.code());
            assertTrue(error.getString("message").contains("2 times within 60 seconds"), error.getString("message"));
        }
        long other = sales.nextUserId();
        try (RawWebSocket socket = join(saleId, other, "198.51.100.21")) {
            assertEquals("sale", new JsonObject(socket.readTextFrames(1, 5000).getFirst()).getString("type"),
                    "another account is not held back");
        }
    }

    @Test
    void anAddressJoinsThreeAccountsAMinuteAndTheFourthIsRefusedWhileAnotherAddressJoins() throws Exception {
        long saleId = sales.live(10, 1, 600_000);
        String address = "203.0.113.7";
        for (int i = 0; i < 3; i++) {
            try (RawWebSocket socket = join(saleId, sales.nextUserId(), address)) {
                assertEquals("sale", new JsonObject(socket.readTextFrames(1, 5000).getFirst()).getString("type"));
            }
        }
        long fourth = sales.nextUserId();
        try (RawWebSocket refused = join(saleId, fourth, address)) {
            RawWebSocket.Close close = refused.awaitClose(5000);
            assertEquals("too-many-joins-from-address", new JsonObject(refused.texts.getFirst()).getString("reason"));
            assertEquals(4429, close.code());
        }
        assertNull(sales.ticket(saleId, fourth), "a refused join holds no ticket");
        long elsewhere = sales.nextUserId();
        try (RawWebSocket socket = join(saleId, elsewhere, "203.0.113.8")) {
            socket.readTextFrames(1, 5000);
        }
        assertNotNull(sales.ticket(saleId, elsewhere));
    }

    @Test
    void onlyTheLastForwardedEntryCountsSoAClientCannotPickItsAddress() throws Exception {
        long saleId = sales.live(10, 1, 600_000);
        // What a client wrote itself stands left of what the trusted proxy appended: only the latter counts.
        for (int i = 0; i < 3; i++) {
            try (RawWebSocket socket = join(saleId, sales.nextUserId(), "10.9.9." + i + ", 192.0.2.44")) {
                socket.readTextFrames(1, 5000);
            }
        }
        try (RawWebSocket refused = join(saleId, sales.nextUserId(), "10.9.9.99, 192.0.2.44")) {
            refused.awaitClose(5000);
            assertEquals("too-many-joins-from-address", new JsonObject(refused.texts.getFirst()).getString("reason"));
        }
    }

    private RawWebSocket join(long saleId, long user, String forwardedFor) throws Exception {
        String solution = AltchaSolver.fetchAndSolve(AltchaSolver.challengeUri("127.0.0.1", url.getPort(), saleId));
        return RawWebSocket.openAsGiven("127.0.0.1", url.getPort(), "/ws/sales/" + saleId + "/queue" + AltchaSolver.query(solution),
                user, Map.of("X-Forwarded-For", forwardedFor));
    }

}
