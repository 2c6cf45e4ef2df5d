package io.miaosha.gateway.queue;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.miaosha.gateway.testing.QueueClient;
import io.miaosha.gateway.testing.QueueSales;
import io.miaosha.testsupport.SessionTokens;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Grace period, explicit leave, window expiry and the authenticated upgrade (grace is 3 s in tests). */
@QuarkusTest
class ReconnectLeaveWindowTest {

    @Inject
    RedisDataSource redis;
    @Inject
    Vertx vertx;
    @TestHTTPResource("/")
    URL url;

    private QueueClient join(QueueSales sales, long saleId, long userId) {
        QueueClient client = QueueClient.connect(vertx, url.getPort(), saleId, userId);
        client.await("sale", Duration.ofSeconds(5));
        return client;
    }

    @Test
    void reconnectWithinGraceKeepsThePlace() {
        QueueSales sales = new QueueSales(redis);
        long saleId = sales.live(100, 1, 600_000);
        QueueClient first = join(sales, saleId, sales.nextUserId());
        first.await("admitted", Duration.ofSeconds(5));
        QueueClient second = join(sales, saleId, sales.nextUserId());
        long thirdUser = sales.nextUserId();
        QueueClient third = join(sales, saleId, thirdUser);
        assertEquals(1, third.await("position", Duration.ofSeconds(5)).getLong("ahead"));
        Double ticket = sales.ticket(saleId, thirdUser);

        third.close();
        QueueClient.sleep(1000);
        QueueClient again = join(sales, saleId, thirdUser);
        assertEquals(1, again.await("position", Duration.ofSeconds(5)).getLong("ahead"));
        assertEquals(ticket, sales.ticket(saleId, thirdUser));
        QueueClient.sleep(3500); // past the grace period the first socket started: the reconnect cancelled it
        assertEquals(ticket, sales.ticket(saleId, thirdUser));
        second.close();
        again.close();
    }

    @Test
    void reconnectAfterGraceLosesThePlace() {
        QueueSales sales = new QueueSales(redis);
        long saleId = sales.live(100, 1, 600_000);
        join(sales, saleId, sales.nextUserId()).await("admitted", Duration.ofSeconds(5));
        long user = sales.nextUserId();
        QueueClient waiting = join(sales, saleId, user);
        assertEquals(0, waiting.await("position", Duration.ofSeconds(5)).getLong("ahead"));
        QueueClient later = join(sales, saleId, sales.nextUserId());
        assertEquals(1, later.await("position", Duration.ofSeconds(5)).getLong("ahead"));
        Double ticket = sales.ticket(saleId, user);

        waiting.close();
        await().atMost(Duration.ofSeconds(6)).until(() -> sales.ticket(saleId, user) == null);
        assertEquals(0, later.await("position", Duration.ofSeconds(1)) != null ? waitForAhead(later, 0) : -1);

        QueueClient back = join(sales, saleId, user);
        assertEquals(1, back.await("position", Duration.ofSeconds(5)).getLong("ahead"), "back at the end of the line");
        assertNotEquals(ticket, sales.ticket(saleId, user));
    }

    @Test
    void leaveFreesThePlaceAtOnce() {
        QueueSales sales = new QueueSales(redis);
        long saleId = sales.live(100, 1, 600_000);
        QueueClient inside = join(sales, saleId, sales.nextUserId());
        inside.await("admitted", Duration.ofSeconds(5));
        long leaverId = sales.nextUserId();
        QueueClient leaver = join(sales, saleId, leaverId);
        QueueClient behind = join(sales, saleId, sales.nextUserId());
        assertEquals(1, behind.await("position", Duration.ofSeconds(5)).getLong("ahead"));

        leaver.leave();
        assertEquals("left", leaver.await("closed", Duration.ofSeconds(5)).getString("reason"));
        assertNull(sales.ticket(saleId, leaverId), "the place is freed at once, not after the grace period");
        assertEquals(0, waitForAhead(behind, 0));

        inside.leave();
        inside.await("closed", Duration.ofSeconds(5));
        behind.await("admitted", Duration.ofSeconds(5));
    }

    /**
     * Inbound frames are not queued behind the open, so these leaves and closes often overtake the
     * join script; each must still free the place (leave) or start its grace period (close).
     */
    @Test
    void aLeaveOrCloseRightAfterTheUpgradeOvertakingTheJoinStillCounts() {
        QueueSales sales = new QueueSales(redis);
        long saleId = sales.live(100, 1, 600_000);
        QueueClient.connect(vertx, url.getPort(), saleId, sales.nextUserId()).await("admitted", Duration.ofSeconds(5));
        var client = vertx.createWebSocketClient();
        java.util.List<Long> leavers = new java.util.ArrayList<>();
        java.util.List<Long> closers = new java.util.ArrayList<>();
        java.util.List<io.vertx.core.Future<QueueClient>> sockets = new java.util.ArrayList<>();
        for (int i = 0; i < 40; i++) {
            long user = sales.nextUserId();
            boolean leaves = i % 2 == 0;
            (leaves ? leavers : closers).add(user);
            sockets.add(QueueClient.open(client, url.getPort(), saleId, user).compose(socket -> leaves
                    ? socket.sendAsync("{\"type\":\"leave\"}").map(socket)
                    : socket.closeAsync().map(socket)));
        }
        java.util.List<QueueClient> opened = sockets.stream().map(QueueClient::await).toList();

        for (QueueClient socket : opened) {
            if (leavers.contains(socket.userId)) {
                assertEquals("left", socket.await("closed", Duration.ofSeconds(5)).getString("reason"), "user " + socket.userId);
            }
        }
        leavers.forEach(user -> assertNull(sales.ticket(saleId, user), "a leave frees the place at once: user " + user));
        await().atMost(Duration.ofSeconds(8)).until(() -> closers.stream().allMatch(user -> sales.ticket(saleId, user) == null));
        QueueClient last = join(sales, saleId, sales.nextUserId());
        assertEquals(0, last.await("position", Duration.ofSeconds(5)).getLong("ahead"), "nobody is left ahead");
    }

    @Test
    void windowExpiryFreesTheSlot() {
        QueueSales sales = new QueueSales(redis);
        long saleId = sales.live(100, 1, 1500);
        long firstUser = sales.nextUserId();
        QueueClient first = join(sales, saleId, firstUser);
        JsonObject admitted = first.await("admitted", Duration.ofSeconds(5));
        assertNotNull(admitted.getString("windowEndsAt"));
        QueueClient second = join(sales, saleId, sales.nextUserId());
        assertTrue(second.first("admitted") == null);

        assertEquals("window_expired", first.await("closed", Duration.ofSeconds(5)).getString("reason"));
        second.await("admitted", Duration.ofSeconds(3));
        assertTrue(!sales.inside(saleId, firstUser));
    }

    @Test
    void admissionOfAShopperWhoNeverCameBackFreesTheSlotAfterTheGracePeriod() {
        QueueSales sales = new QueueSales(redis);
        long saleId = sales.live(100, 1, 600_000);
        QueueClient inside = join(sales, saleId, sales.nextUserId());
        inside.await("admitted", Duration.ofSeconds(5));
        long ghost = sales.nextUserId();
        QueueClient ghostSocket = join(sales, saleId, ghost);
        QueueClient behind = join(sales, saleId, sales.nextUserId());
        behind.await("position", Duration.ofSeconds(5));
        // The ghost's socket was on a gateway that died: Redis still counts it as connected, so no
        // grace period ever starts; nobody is there to be told of its admission.
        redis.hash(String.class).hincrby(new io.miaosha.common.queue.QueueKeys(saleId).connections(), Long.toString(ghost), 1);
        ghostSocket.close();

        inside.leave();
        await().atMost(Duration.ofSeconds(3)).until(() -> sales.inside(saleId, ghost));
        long admittedAt = System.currentTimeMillis();
        behind.await("admitted", Duration.ofSeconds(8));
        long freedAfter = System.currentTimeMillis() - admittedAt;
        assertTrue(freedAfter >= 2000 && freedAfter < 6000,
                "the unacknowledged slot frees after the grace period (3 s in tests), not the 600 s window: " + freedAfter);
    }

    @Test
    void anAdmittedShopperWhoClosesTheSocketKeepsTheSlotForItsWindow() {
        QueueSales sales = new QueueSales(redis);
        long saleId = sales.live(100, 1, 600_000);
        long user = sales.nextUserId();
        QueueClient inside = join(sales, saleId, user);
        String token = inside.await("admitted", Duration.ofSeconds(5)).getString("token");
        inside.close(); // off to the checkout with the token
        QueueClient waiting = join(sales, saleId, sales.nextUserId());
        QueueClient.sleep(4500); // past the grace period (3 s in tests)
        assertTrue(sales.inside(saleId, user), "the slot lasts the window, not the grace period");
        assertNull(waiting.first("admitted"));
        QueueClient back = join(sales, saleId, user);
        assertEquals(token, back.await("admitted", Duration.ofSeconds(5)).getString("token"), "the same admission");
    }

    @Test
    void upgradeWithoutAValidSessionIsRefusedWith401() {
        QueueSales sales = new QueueSales(redis);
        long saleId = sales.live(100, 1, 600_000);
        var client = vertx.createWebSocketClient();
        AssertionError forged = assertThrows(AssertionError.class, () -> QueueClient.await(
                QueueClient.open(client, "127.0.0.1", url.getPort(), saleId, 1, SessionTokens.forged(1))));
        assertTrue(forged.getMessage().contains("401"), forged.getMessage());
        AssertionError missing = assertThrows(AssertionError.class, () -> QueueClient.await(client.connect(
                new io.vertx.core.http.WebSocketConnectOptions().setHost("127.0.0.1").setPort(url.getPort())
                        .setURI("/ws/sales/" + saleId + "/queue").addSubProtocol("miaosha.v1"))));
        assertTrue(missing.getMessage().contains("401"), missing.getMessage());

        QueueClient ok = QueueClient.connect(vertx, url.getPort(), saleId, sales.nextUserId());
        assertEquals("miaosha.v1", ok.subprotocol(), "the token is never echoed back as the chosen subprotocol");
    }

    private static long waitForAhead(QueueClient client, long expected) {
        await().atMost(Duration.ofSeconds(8)).until(() -> {
            JsonObject last = client.last("position");
            return last != null && last.getLong("ahead") == expected;
        });
        return expected;
    }
}
