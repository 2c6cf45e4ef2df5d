package io.miaosha.gateway.socket;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.miaosha.gateway.testing.QueueSales;
import io.miaosha.gateway.testing.RawWebSocket;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URL;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** One walk of the shared ping timer pings every open socket of both kinds, each once. */
@QuarkusTest
class SocketPingsTest {

    @Inject
    RedisDataSource redis;
    @Inject
    SocketPings pings;
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
    void oneWalkPingsEveryQueueAndLiveSocketOnce() throws Exception {
        long saleId = sales.live(10, 1, 600_000);
        try (RawWebSocket inside = RawWebSocket.open("127.0.0.1", url.getPort(), "/ws/sales/" + saleId + "/queue",
                sales.nextUserId());
                RawWebSocket waiting = RawWebSocket.open("127.0.0.1", url.getPort(), "/ws/sales/" + saleId + "/queue",
                        sales.nextUserId());
                RawWebSocket viewer = RawWebSocket.openAsGiven("127.0.0.1", url.getPort(), "/ws/sales/" + saleId + "/live",
                        1, Map.of())) {
            inside.readTextFrames(2, 5000);
            waiting.readTextFrames(2, 5000);
            viewer.readTextFrames(1, 5000);
            assertEquals(0, inside.pings + waiting.pings + viewer.pings, "no ping before the walk (every 30 s)");

            pings.pingAll();

            for (RawWebSocket socket : new RawWebSocket[] {inside, waiting, viewer}) {
                socket.readTextFrames(10, 1000);
            }
            assertEquals(1, inside.pings, "the shopper inside");
            assertEquals(1, waiting.pings, "the shopper waiting");
            assertEquals(1, viewer.pings, "the live viewer");
        }
    }
}
