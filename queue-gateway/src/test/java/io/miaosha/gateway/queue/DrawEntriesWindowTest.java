package io.miaosha.gateway.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.miaosha.common.sale.SaleKeys;
import io.miaosha.gateway.testing.QueueClient;
import io.miaosha.gateway.testing.QueueSales;
import io.miaosha.gateway.testing.RawWebSocket;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Entries to the pre-opening draw open a set time before opening (the sale's draw_from, armed by the
 * API): an earlier join is refused in words and writes nothing, not even the draw; from then on a
 * shopper enters the draw.
 */
@QuarkusTest
class DrawEntriesWindowTest {

    @Inject
    RedisDataSource redis;
    @Inject
    Vertx vertx;
    @Inject
    Rooms rooms;
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
    void aJoinBeforeTheEntriesOpenIsRefusedAndWritesNothing() throws Exception {
        long now = System.currentTimeMillis();
        long saleId = sales.arm(now + 600_000, now + 3_600_000, 10, 1, 600_000);
        long entriesOpen = now + 300_000;
        redis.hash(String.class).hset(new SaleKeys(saleId).meta(), "draw_from", Long.toString(entriesOpen));
        List<String> armed = sales.keys(saleId);

        try (RawWebSocket socket = RawWebSocket.open("127.0.0.1", url.getPort(), "/ws/sales/" + saleId + "/queue",
                sales.nextUserId())) {
            RawWebSocket.Close close = socket.awaitClose(5000);
            assertEquals(4425, close.code());
            assertEquals("entries-not-open", close.reason());
            JsonObject error = new JsonObject(socket.texts.getFirst());
            assertEquals("entries-not-open", error.getString("reason"));
            assertTrue(error.getString("message").contains(Instant.ofEpochMilli(entriesOpen).toString()),
                    "the refusal says when entries open: " + error);
        }
        QueueClient.sleep(300);
        // The proof-of-work is checked first and spent, and the attempt counts against the join limits
        // (hammering early costs a bot too); the queue itself is untouched.
        assertEquals(armed, sales.keys(saleId).stream().filter(key -> !key.contains(":pow:")).toList(),
                "no ticket, no draw, nothing but what arming wrote");
        assertFalse(sales.queued(saleId));
        assertNull(rooms.find(saleId));
    }

    @Test
    void onceTheEntriesOpenAShopperEntersTheDraw() {
        long now = System.currentTimeMillis();
        long saleId = sales.arm(now + 600_000, now + 3_600_000, 10, 1, 600_000);
        redis.hash(String.class).hset(new SaleKeys(saleId).meta(), "draw_from", Long.toString(now - 1000));
        long userId = sales.nextUserId();

        QueueClient shopper = QueueClient.connect(vertx, url.getPort(), saleId, userId);
        JsonObject draw = shopper.await("draw", Duration.ofSeconds(5));

        assertNotNull(draw.getString("ticketId"));
        Double ticket = sales.ticket(saleId, userId);
        assertNotNull(ticket);
        assertTrue(ticket > 0 && ticket < 1, "a draw ticket, not a sequence number: " + ticket);
        shopper.leave();
    }
}
