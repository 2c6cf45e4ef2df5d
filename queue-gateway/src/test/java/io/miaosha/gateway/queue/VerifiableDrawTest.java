package io.miaosha.gateway.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.miaosha.common.queue.DrawFunction;
import io.miaosha.common.queue.QueueDrawScript;
import io.miaosha.common.queue.QueueKeys;
import io.miaosha.common.sale.SaleKeys;
import io.miaosha.gateway.testing.QueueClient;
import io.miaosha.gateway.testing.QueueSales;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The pre-opening draw is checkable by anyone: each early shopper is told its ticket id and the
 * seed's commitment before opening; once the sale opens the seed is revealed, hashes to that
 * commitment, and the order recomputed from it and the ticket ids alone (with SHA-256 here, not
 * with the service's code) is the real order of the queue.
 */
@QuarkusTest
class VerifiableDrawTest {

    private static final int SHOPPERS = 30;

    @Inject
    RedisDataSource redis;
    @Inject
    ReactiveRedisDataSource reactiveRedis;
    @Inject
    Vertx vertx;
    @TestHTTPResource("/")
    URL url;

    private final List<QueueClient> clients = new ArrayList<>();
    private QueueSales sales;

    @AfterEach
    void closeAll() {
        clients.forEach(QueueClient::close);
        if (sales != null) {
            sales.unqueueArmed();
        }
    }

    @Test
    void theDrawRecomputedFromTheRevealedSeedIsTheOrderOfTheQueue() throws Exception {
        sales = new QueueSales(redis);
        long opensAt = System.currentTimeMillis() + 120_000;
        long saleId = sales.arm(opensAt, opensAt + 3_600_000, 100, 5, 600_000);
        QueueKeys keys = new QueueKeys(saleId);

        Map<String, Long> userByTicket = new HashMap<>();
        Set<String> commitments = new HashSet<>();
        for (int i = 0; i < SHOPPERS; i++) {
            QueueClient client = QueueClient.connect(vertx, url.getPort(), saleId, sales.nextUserId());
            clients.add(client);
            JsonObject draw = client.await("draw", Duration.ofSeconds(5));
            String ticketId = draw.getString("ticketId");
            assertTrue(ticketId.matches("[0-9a-f]{16}"), "a ticket id is 16 hex characters: " + ticketId);
            assertNotEquals(Long.toString(client.userId), ticketId, "the ticket id is not the user id");
            assertNull(userByTicket.put(ticketId, client.userId), "every shopper has its own ticket id");
            commitments.add(draw.getString("commitment"));
            assertEquals(Instant.ofEpochMilli(opensAt).toString(), draw.getString("revealAt"));
        }
        assertEquals(1, commitments.size(), "one commitment for the whole draw: " + commitments);
        String commitment = commitments.iterator().next();
        assertTrue(System.currentTimeMillis() < opensAt, "every shopper joined before opening");
        assertNull(redis.hash(String.class).hget(keys.draw(), "revealed"), "not revealed before opening");
        assertEquals(userByTicket.keySet(), redis.set(String.class).smembers(keys.drawEntrants()),
                "every early shopper is an entrant, under its ticket id");

        // Leaving and rejoining keeps the ticket id, and so the place in the draw.
        QueueClient rejoiner = clients.get(0);
        String rejoinerTicket = rejoiner.first("draw").getString("ticketId");
        rejoiner.leave();
        rejoiner.await("closed", Duration.ofSeconds(5));
        clients.set(0, QueueClient.connect(vertx, url.getPort(), saleId, rejoiner.userId));
        assertEquals(rejoinerTicket, clients.get(0).await("draw", Duration.ofSeconds(5)).getString("ticketId"));

        List<Long> queueAtOpening = sales.waitingOrder(saleId).stream().map(Long::parseLong).toList();
        redis.hash(String.class).hset(new SaleKeys(saleId).meta(), "opens_at", Long.toString(System.currentTimeMillis() - 1000));
        // What the public endpoint does: once open, the draw answers with its seed and is closed for good.
        QueueDrawScript.Draw revealed = new QueueDrawScript(reactiveRedis).run(saleId, System.currentTimeMillis())
                .await().atMost(Duration.ofSeconds(5));
        assertTrue(revealed.revealed());
        assertEquals(commitment, revealed.commitment());
        String seed = revealed.seed();

        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        assertEquals(commitment, HexFormat.of().formatHex(sha256.digest(HexFormat.of().parseHex(seed))),
                "the revealed seed is the one committed to before opening");
        List<Long> recomputed = userByTicket.keySet().stream()
                .sorted(Comparator.comparingDouble((String ticket) -> value(seed, ticket)))
                .map(userByTicket::get).toList();
        assertEquals(queueAtOpening, recomputed, "the queue at opening is the draw anyone can recompute");
        assertEquals(recomputed, DrawFunction.order(seed, userByTicket.keySet()).stream().map(userByTicket::get).toList(),
                "the published order (DrawFunction) is that draw");
        assertNotEquals(clients.stream().map(c -> c.userId).toList(), recomputed, "not the order of arrival");

        // Once revealed nobody enters the draw, even if the opening is moved later again.
        redis.hash(String.class).hset(new SaleKeys(saleId).meta(), "opens_at", Long.toString(System.currentTimeMillis() + 60_000));
        QueueClient late = QueueClient.connect(vertx, url.getPort(), saleId, sales.nextUserId());
        clients.add(late);
        late.await("position", Duration.ofSeconds(5));
        assertNull(late.first("draw"), "no draw frame for a shopper who joined after the reveal");
        assertTrue(sales.ticket(saleId, late.userId) >= 1, "a first-come ticket, behind every entrant");
        assertEquals(userByTicket.keySet(), redis.set(String.class).smembers(keys.drawEntrants()));
    }

    /** The published function, written out with nothing but SHA-256. */
    private static double value(String seed, String ticketId) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest((seed + ":" + ticketId).getBytes(StandardCharsets.UTF_8));
            long bits = ByteBuffer.wrap(digest).getLong() >>> 12;
            return (bits + 1) / (Math.pow(2, 52) + 2);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
