package io.miaosha.gateway.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.miaosha.common.events.OrderUpdate;
import io.miaosha.common.order.OrderStatus;
import io.miaosha.gateway.testing.QueueClient;
import io.miaosha.gateway.testing.QueueSales;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A shopper's order changes (bought, paid, expired) reach its open socket, and nobody else's. */
@QuarkusTest
class OrderUpdatesTest {

    @Inject
    RedisDataSource redis;
    @Inject
    Vertx vertx;
    @TestHTTPResource("/")
    URL url;

    @Test
    void orderChangesReachTheShoppersSocketOnly() {
        QueueSales sales = new QueueSales(redis);
        long saleId = sales.live(10, 1, 600_000);
        long buyer = sales.nextUserId();
        QueueClient buyerSocket = QueueClient.connect(vertx, url.getPort(), saleId, buyer);
        buyerSocket.await("admitted", Duration.ofSeconds(5));
        QueueClient other = QueueClient.connect(vertx, url.getPort(), saleId, sales.nextUserId());
        other.await("position", Duration.ofSeconds(5));

        redis.pubsub(String.class).publish(OrderUpdate.CHANNEL,
                new OrderUpdate("order-1", buyer, saleId, OrderStatus.PAID).encode());

        JsonObject order = buyerSocket.await("order", Duration.ofSeconds(5));
        assertEquals("order-1", order.getString("orderId"));
        assertEquals("PAID", order.getString("status"));
        QueueClient.sleep(500);
        assertEquals(null, other.first("order"));
    }
}
