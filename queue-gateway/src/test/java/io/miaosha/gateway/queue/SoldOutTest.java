package io.miaosha.gateway.queue;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

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

/** A sell-out is told to every waiting shopper at once and closes the door; returned stock resumes admission. */
@QuarkusTest
class SoldOutTest {

    @Inject
    RedisDataSource redis;
    @Inject
    Vertx vertx;
    @TestHTTPResource("/")
    URL url;

    @Test
    void soldOutIsToldToEveryoneAndReturnedStockResumesAdmission() {
        QueueSales sales = new QueueSales(redis);
        long saleId = sales.live(1, 1, 600_000);
        QueueClient inside = QueueClient.connect(vertx, url.getPort(), saleId, sales.nextUserId());
        inside.await("admitted", Duration.ofSeconds(5));
        QueueClient second = QueueClient.connect(vertx, url.getPort(), saleId, sales.nextUserId());
        QueueClient third = QueueClient.connect(vertx, url.getPort(), saleId, sales.nextUserId());
        third.await("position", Duration.ofSeconds(5));

        sales.setStock(saleId, 0);
        sales.publishSaleEvent("SOLD_OUT", saleId);
        await().atMost(Duration.ofSeconds(2)).until(() -> isState(second, "sold_out") && isState(third, "sold_out"));

        QueueClient newcomer = QueueClient.connect(vertx, url.getPort(), saleId, sales.nextUserId());
        assertEquals("sold_out", newcomer.await("closed", Duration.ofSeconds(5)).getString("reason"));
        await().atMost(Duration.ofSeconds(2)).until(() -> newcomer.closed);

        inside.leave();
        QueueClient.sleep(1000);
        assertNull(second.first("admitted"), "nobody is admitted into a sold-out sale");

        sales.setStock(saleId, 1);
        sales.publishSaleEvent("STOCK_RETURNED", saleId);
        await().atMost(Duration.ofSeconds(2)).until(() -> isState(second, "live"));
        second.await("admitted", Duration.ofSeconds(3));
        assertNull(third.first("admitted"));
    }

    private static boolean isState(QueueClient client, String state) {
        JsonObject last = client.last("sale");
        return last != null && state.equals(last.getString("state"));
    }
}
