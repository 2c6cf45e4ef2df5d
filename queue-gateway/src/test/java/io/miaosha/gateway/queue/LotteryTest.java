package io.miaosha.gateway.queue;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.miaosha.common.queue.DrawFunction;
import io.miaosha.common.queue.QueueKeys;
import io.miaosha.gateway.testing.QueueClient;
import io.miaosha.gateway.testing.QueueSales;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Arrivals before opening are put in a random (lottery) order; later arrivals are first come, first served. */
@QuarkusTest
class LotteryTest {

    @Inject
    RedisDataSource redis;
    @Inject
    Vertx vertx;
    @Inject
    Lottery lottery;
    @TestHTTPResource("/")
    URL url;

    @Test
    void preOpenArrivalsAreShuffledAtOpeningAndLaterArrivalsAreFifo() {
        QueueSales sales = new QueueSales(redis);
        long opensAt = System.currentTimeMillis() + 10_000;
        long saleId = sales.arm(opensAt, opensAt + 3_600_000, 100, 10, 600_000);
        List<Long> early = new ArrayList<>();
        List<QueueClient> clients = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            long user = sales.nextUserId();
            QueueClient client = QueueClient.connect(vertx, url.getPort(), saleId, user);
            assertEquals("upcoming", client.await("sale", Duration.ofSeconds(5)).getString("state"));
            early.add(user);
            clients.add(client);
        }
        assertTrue(System.currentTimeMillis() < opensAt, "the early shoppers must all join before opening");

        // Leaving and rejoining before opening cannot re-roll the draw.
        long rejoiner = early.get(0);
        Double ticket = sales.ticket(saleId, rejoiner);
        clients.get(0).leave();
        clients.get(0).await("closed", Duration.ofSeconds(5));
        clients.set(0, QueueClient.connect(vertx, url.getPort(), saleId, rejoiner));
        clients.get(0).await("position", Duration.ofSeconds(5));
        assertEquals(ticket, sales.ticket(saleId, rejoiner));

        String seed = redis.hash(String.class).hget(new QueueKeys(saleId).draw(), "seed");
        List<Long> byLottery = early.stream()
                .sorted(Comparator.comparingDouble(u -> DrawFunction.value(seed, lottery.ticketId(saleId, u)))).toList();
        assertEquals(byLottery, sales.waitingOrder(saleId).stream().map(Long::parseLong).toList(),
                "the queue is ordered by each user's draw");
        assertNotEquals(early, byLottery, "the draw is not the order of arrival");

        await().atMost(Duration.ofSeconds(15)).until(() -> clients.stream().filter(QueueClient::admitted).count() == 10);
        Set<Long> admitted = clients.stream().filter(QueueClient::admitted).map(c -> c.userId).collect(Collectors.toSet());
        assertEquals(Set.copyOf(byLottery.subList(0, 10)), admitted, "the ten lowest draws get in at opening");
        assertNotEquals(Set.copyOf(early.subList(0, 10)), admitted, "not the first ten to arrive");

        List<Long> late = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            long user = sales.nextUserId();
            QueueClient.connect(vertx, url.getPort(), saleId, user).await("position", Duration.ofSeconds(5));
            late.add(user);
        }
        List<Long> expected = new ArrayList<>(byLottery.subList(10, 20));
        expected.addAll(late);
        assertEquals(expected, sales.waitingOrder(saleId).stream().map(Long::parseLong).toList(),
                "after opening, later arrivals queue behind every early one, in arrival order");
    }
}
