package io.miaosha.gateway.orders;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.miaosha.common.events.OrderUpdate;
import io.miaosha.common.order.OrderStatus;
import io.miaosha.gateway.testing.QueueClient;
import io.miaosha.gateway.testing.QueueSales;
import io.miaosha.testsupport.SessionTokens;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * {@code /ws/me/orders} against the real Redis: an order change published on the channel the API and
 * the order-worker publish on reaches every open tab of its shopper and nobody else's; no session, no
 * socket; a page that reconnects is told again; a page that talks, or one tab too many, is ended.
 */
@QuarkusTest
class OrderSocketTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    @Inject
    RedisDataSource redis;
    @Inject
    Vertx vertx;
    @Inject
    OrderWatchers watchers;
    @Inject
    OrdersConfig config;
    @TestHTTPResource("/")
    URL url;

    @Test
    void anUpdateReachesEveryTabOfItsShopperAndNoOneElse() {
        QueueSales sales = new QueueSales(redis);
        long alice = sales.nextUserId();
        long bob = sales.nextUserId();
        QueueClient aliceTab1 = subscribed(alice);
        QueueClient aliceTab2 = subscribed(alice);
        QueueClient bobTab = subscribed(bob);

        publish(new OrderUpdate("order-a", alice, 41, OrderStatus.PAID));

        for (QueueClient tab : List.of(aliceTab1, aliceTab2)) {
            JsonObject order = tab.await("order", WAIT);
            assertEquals("order-a", order.getString("orderId"));
            assertEquals("PAID", order.getString("status"));
        }
        publish(new OrderUpdate("order-b", bob, 42, OrderStatus.EXPIRED));
        assertEquals("EXPIRED", bobTab.await("order", WAIT).getString("status"));
        QueueClient.sleep(300);
        // Bob never heard of Alice's order, nor Alice of Bob's: one order frame each, their own.
        assertEquals(List.of("order-b"), orderIds(bobTab));
        assertEquals(List.of("order-a"), orderIds(aliceTab1));
        assertEquals(List.of("order-a"), orderIds(aliceTab2));
        List.of(aliceTab1, aliceTab2, bobTab).forEach(QueueClient::close);
        eventually(() -> watchers.socketsOf(alice) == 0 && watchers.socketsOf(bob) == 0, "closed tabs are forgotten");
    }

    @Test
    void withoutAValidSessionTheUpgradeIsRefusedWith401AndNothingIsKept() {
        long user = new QueueSales(redis).nextUserId();
        AssertionError noToken = assertThrows(AssertionError.class, () -> QueueClient.await(vertx.createWebSocketClient()
                .connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(url.getPort()).setURI("/ws/me/orders")
                        .setSubProtocols(List.of("miaosha.v1")))));
        assertTrue(noToken.getMessage().contains("401"), noToken.getMessage());
        for (String token : List.of(SessionTokens.forged(user), SessionTokens.dev().tampered(user, "x@test.miaosha.dev"))) {
            AssertionError refused = assertThrows(AssertionError.class, () -> open(user, token));
            assertTrue(refused.getMessage().contains("401"), refused.getMessage());
        }
        assertEquals(0, watchers.socketsOf(user));
    }

    @Test
    void aPageThatReconnectsIsToldOfLaterChanges() {
        long user = new QueueSales(redis).nextUserId();
        QueueClient first = subscribed(user);
        first.close();
        eventually(() -> watchers.socketsOf(user) == 0, "the closed socket is forgotten");
        publish(new OrderUpdate("while-away", user, 7, OrderStatus.PAID));

        QueueClient again = subscribed(user);
        publish(new OrderUpdate("after", user, 7, OrderStatus.EXPIRED));

        assertEquals("after", again.await("order", WAIT).getString("orderId"));
        // What happened while it was away is the page's to read (it refetches on "subscribed"), not replayed.
        assertEquals(List.of("after"), orderIds(again));
        again.close();
    }

    @Test
    void aPageThatSendsAMessageIsEndedAndForgotten() {
        long user = new QueueSales(redis).nextUserId();
        QueueClient tab = subscribed(user);

        tab.send("{\"type\":\"leave\"}");

        assertEquals("read-only", tab.await("error", WAIT).getString("reason"));
        eventually(() -> tab.closed, "the socket is closed");
        eventually(() -> watchers.socketsOf(user) == 0, "the ended socket is forgotten");
    }

    @Test
    void oneTabOverThePerUserLimitIsEndedAndTheOthersStay() {
        long user = new QueueSales(redis).nextUserId();
        List<QueueClient> tabs = new ArrayList<>();
        for (int i = 0; i < config.socketsPerUser(); i++) {
            tabs.add(subscribed(user));
        }
        QueueClient oneTooMany = open(user, SessionTokens.dev().shopper(user));

        assertEquals("too-many-connections", oneTooMany.await("error", WAIT).getString("reason"));
        assertNull(oneTooMany.first("subscribed"));
        eventually(() -> oneTooMany.closed, "the extra socket is closed");
        assertEquals(config.socketsPerUser(), watchers.socketsOf(user));
        publish(new OrderUpdate("still-told", user, 9, OrderStatus.PAID));
        tabs.forEach(tab -> tab.await("order", WAIT));
        tabs.forEach(QueueClient::close);
    }

    /**
     * A tab that the gateway listens for. Now and then the Vert.x client drops a frame that arrives with
     * the 101 response (see {@link QueueClient#connect}); the gateway wrote it, so the tab opens again.
     */
    private QueueClient subscribed(long user) {
        QueueClient tab = null;
        for (int attempt = 1; attempt <= 3; attempt++) {
            tab = open(user, SessionTokens.dev().shopper(user));
            long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
            while (tab.first("subscribed") == null && !tab.closed && System.nanoTime() < deadline) {
                QueueClient.sleep(20);
            }
            if (tab.first("subscribed") != null || attempt == 3) {
                break;
            }
            System.err.printf("user %d: no 'subscribed' within 3 s (attempt %d, got %s); reconnecting%n", user, attempt, tab.received);
            int before = watchers.socketsOf(user);
            tab.close();
            eventually(() -> watchers.socketsOf(user) < before, "the silent tab is forgotten");
        }
        tab.await("subscribed", WAIT);
        return tab;
    }

    private QueueClient open(long user, String session) {
        return QueueClient.await(QueueClient.open(vertx.createWebSocketClient(), "127.0.0.1", url.getPort(), "/ws/me/orders",
                user, session));
    }

    private void publish(OrderUpdate update) {
        redis.pubsub(String.class).publish(OrderUpdate.CHANNEL, update.encode());
    }

    private static List<String> orderIds(QueueClient tab) {
        return tab.received.stream().filter(m -> "order".equals(m.getString("type"))).map(m -> m.getString("orderId")).toList();
    }

    private static void eventually(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + WAIT + ": " + what);
            }
            QueueClient.sleep(20);
        }
    }
}
