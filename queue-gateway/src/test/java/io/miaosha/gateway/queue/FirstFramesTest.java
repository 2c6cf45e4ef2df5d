package io.miaosha.gateway.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.miaosha.gateway.testing.QueueSales;
import io.miaosha.gateway.testing.RawWebSocket;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * What the gateway writes right after the upgrade, read off the wire by a client that keeps every
 * byte after the 101 response (frames often arrive in the same TCP segment as the 101). A client
 * library that drops bytes bundled with the 101 would lose the first frame; this test shows the
 * server always sends both, in order.
 */
@QuarkusTest
class FirstFramesTest {

    @Inject
    RedisDataSource redis;
    @TestHTTPResource("/")
    URL url;

    @Test
    void everySocketGetsTheSaleStateThenItsPlaceOrAdmission() throws Exception {
        QueueSales sales = new QueueSales(redis);
        long saleId = sales.live(100, 1, 600_000);
        int sockets = 300;
        List<Long> users = new ArrayList<>();
        for (int i = 0; i < sockets; i++) {
            users.add(sales.nextUserId());
        }
        ExecutorService pool = Executors.newFixedThreadPool(50);
        try {
            List<Future<List<String>>> frames = new ArrayList<>();
            for (long user : users) {
                frames.add(pool.submit(() -> {
                    try (RawWebSocket socket = RawWebSocket.open("127.0.0.1", url.getPort(), "/ws/sales/" + saleId + "/queue", user)) {
                        return socket.readTextFrames(2, 10_000);
                    }
                }));
            }
            for (int i = 0; i < sockets; i++) {
                List<String> got = frames.get(i).get();
                assertEquals(2, got.size(), "user " + users.get(i) + " got " + got);
                assertTrue(got.get(0).startsWith("{\"type\":\"sale\""), "the sale state comes first: " + got);
                assertTrue(got.get(1).startsWith("{\"type\":\"position\"") || got.get(1).startsWith("{\"type\":\"admitted\""),
                        "then the place or the admission: " + got);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
