package io.miaosha.gateway.queue;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.miaosha.gateway.testing.QueueSales;
import io.miaosha.gateway.testing.RawWebSocket;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One user holds at most miaosha.queue.sockets-per-user (3) sockets of one sale's waiting room on an
 * instance, however many it opens at once: the newest are refused with too-many-connections (1008)
 * and counted nowhere.
 */
@QuarkusTest
class SocketsPerUserTest {

    private static final int ATTEMPTS = 12;

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
    void oneUserOpeningManySocketsAtOnceHoldsAtMostThree() throws Exception {
        long saleId = sales.live(10, 1, 600_000);
        long user = sales.nextUserId();
        long other = sales.nextUserId();
        String path = "/ws/sales/" + saleId + "/queue";

        ExecutorService pool = Executors.newFixedThreadPool(ATTEMPTS);
        List<RawWebSocket> kept = new ArrayList<>();
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<RawWebSocket>> opening = new ArrayList<>();
            for (int i = 0; i < ATTEMPTS; i++) {
                opening.add(pool.submit(() -> {
                    start.await();
                    return RawWebSocket.open("127.0.0.1", url.getPort(), path, user);
                }));
            }
            start.countDown();
            int accepted = 0;
            int refused = 0;
            for (Future<RawWebSocket> future : opening) {
                RawWebSocket socket = future.get();
                JsonObject first = new JsonObject(socket.readTextFrames(1, 5000).getFirst());
                if ("sale".equals(first.getString("type"))) {
                    accepted++;
                    kept.add(socket);
                } else {
                    refused++;
                    assertEquals("too-many-connections", first.getString("reason"), first.encode());
                    RawWebSocket.Close close = socket.awaitClose(5000);
                    assertEquals(1008, close.code());
                    assertEquals("too-many-connections", close.reason());
                    socket.close();
                }
            }
            assertEquals(3, accepted);
            assertEquals(ATTEMPTS - 3, refused);
            assertEquals(3, sales.sockets(saleId, user), "Redis counts only the accepted sockets");

            try (RawWebSocket otherUser = RawWebSocket.open("127.0.0.1", url.getPort(), path, other)) {
                assertTrue(otherUser.readTextFrames(1, 5000).getFirst().startsWith("{\"type\":\"sale\""),
                        "another user is not affected");
            }

            kept.removeFirst().close();
            await().atMost(Duration.ofSeconds(3)).until(() -> sales.sockets(saleId, user) == 2);
            try (RawWebSocket again = RawWebSocket.open("127.0.0.1", url.getPort(), path, user)) {
                assertTrue(again.readTextFrames(1, 5000).getFirst().startsWith("{\"type\":\"sale\""),
                        "a socket closed frees its place for another");
                assertEquals(3, sales.sockets(saleId, user));
            }
        } finally {
            for (RawWebSocket socket : kept) {
                socket.close();
            }
            pool.shutdownNow();
        }
    }
}
