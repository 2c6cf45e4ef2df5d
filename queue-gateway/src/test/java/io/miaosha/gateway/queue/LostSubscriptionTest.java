package io.miaosha.gateway.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.miaosha.gateway.testing.QueueClient;
import io.miaosha.gateway.testing.QueueSales;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * The gateway's pub/sub connections to Redis killed (what a Redis Cluster master failover does to a
 * subscription through it): the gateway subscribes again, and a shopper is told of its admission.
 * Before, the subscriptions ended silently and an admitted shopper waited at place 1 for good. Only
 * this gateway's connections are killed: the test profile names them (quarkus.redis.client-name, per
 * test Redis DB), and other gateways on the shared Redis keep theirs.
 */
@QuarkusTest
class LostSubscriptionTest {

    @Inject
    RedisDataSource redis;
    @Inject
    Vertx vertx;
    @TestHTTPResource("/")
    URL url;
    @ConfigProperty(name = "quarkus.redis.client-name")
    String clientName;

    @Test
    void anAdmissionIsToldAfterTheSubscriptionsLostTheirConnection() {
        List<String> subscribers = ownSubscribers();
        assertEquals(3, subscribers.size(), "the gateway's three subscriptions (queue, sale and order events): " + subscribers);
        for (String id : subscribers) {
            redis.execute("CLIENT", "KILL", "ID", id);
        }
        long deadline = System.currentTimeMillis() + 30_000;
        List<String> again = ownSubscribers();
        while ((again.size() < 3 || again.stream().anyMatch(subscribers::contains)) && System.currentTimeMillis() < deadline) {
            QueueClient.sleep(100);
            again = ownSubscribers();
        }
        assertTrue(again.size() == 3 && again.stream().noneMatch(subscribers::contains),
                "the gateway did not subscribe again on new connections: before " + subscribers + ", now " + again);

        QueueSales sales = new QueueSales(redis);
        long saleId = sales.live(10, 1, 600_000);
        QueueClient shopper = QueueClient.connect(vertx, url.getPort(), saleId, sales.nextUserId());
        shopper.await("admitted", Duration.ofSeconds(30));
    }

    /** Ids of the pub/sub connections carrying this gateway's name. */
    private List<String> ownSubscribers() {
        String list = redis.execute("CLIENT", "LIST", "TYPE", "pubsub").toString();
        return Arrays.stream(list.split("\n"))
                .filter(line -> Arrays.asList(line.trim().split(" ")).contains("name=" + clientName))
                .map(line -> line.trim().split(" ")[0].substring("id=".length()))
                .toList();
    }
}
