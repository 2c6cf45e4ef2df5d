package io.miaosha.gateway.socket;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.miaosha.gateway.testing.QueueSales;
import io.miaosha.gateway.testing.RawWebSocket;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.URL;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One walk of the shared ping timer pings every open socket of both kinds, each once. The timer's own
 * period is an hour here: at the default 30 s its walk could fall inside the test (CI saw a viewer pinged
 * twice) and count as a second ping.
 */
@QuarkusTest
@TestProfile(SocketPingsTest.NoTimedWalk.class)
class SocketPingsTest {

    public static class NoTimedWalk implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("miaosha.socket.ping-every", "1h");
        }
    }

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
            assertEquals(0, inside.pings + waiting.pings + viewer.pings, "no ping before the walk");

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
