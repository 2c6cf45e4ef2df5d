package io.miaosha.gateway.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.miaosha.common.admission.AdmissionToken;
import io.miaosha.common.admission.AdmissionTokenCodec;
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
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Shoppers are admitted strictly in ticket order, never more than the capacity inside at once. */
@QuarkusTest
class AdmissionOrderTest {

    @Inject
    RedisDataSource redis;
    @Inject
    Vertx vertx;
    @TestHTTPResource("/")
    URL url;
    @ConfigProperty(name = "miaosha.admission.secret")
    String secret;

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 10})
    void admitsInTicketOrderWithAtMostCapacityInside(int capacity) {
        QueueSales sales = new QueueSales(redis);
        long saleId = sales.live(1000, capacity, 600_000);
        int shoppers = capacity * 3 + 2;
        List<QueueClient> clients = new ArrayList<>();
        for (int i = 0; i < shoppers; i++) {
            QueueClient client = QueueClient.connect(vertx, url.getPort(), saleId, sales.nextUserId());
            client.awaitAny(Duration.ofSeconds(5));
            clients.add(client);
        }
        AdmissionTokenCodec codec = new AdmissionTokenCodec(secret);
        int admittedSoFar = 0;
        while (admittedSoFar < shoppers) {
            int expectedNow = Math.min(shoppers, admittedSoFar + capacity);
            long deadline = System.currentTimeMillis() + 5000;
            while (countAdmitted(clients) < expectedNow && System.currentTimeMillis() < deadline) {
                assertTrue(sales.insideCount(saleId) <= capacity, "more than " + capacity + " inside");
                QueueClient.sleep(20);
            }
            QueueClient.sleep(300); // one more admission period: nobody beyond the capacity may get in
            assertEquals(expectedNow, countAdmitted(clients), "admitted after " + admittedSoFar);
            assertTrue(sales.insideCount(saleId) <= capacity, "more than " + capacity + " inside");
            for (int i = 0; i < expectedNow; i++) {
                assertTrue(clients.get(i).admitted(), "ticket " + i + " must be admitted before later ones");
            }
            for (int i = admittedSoFar; i < expectedNow; i++) {
                QueueClient client = clients.get(i);
                AdmissionToken token = codec.verifyFor(client.first("admitted").getString("token"), client.userId, saleId,
                        System.currentTimeMillis());
                assertEquals(saleId, token.saleId());
                client.leave();
                client.await("closed", Duration.ofSeconds(5));
            }
            admittedSoFar = expectedNow;
        }
        assertEquals(0, sales.insideCount(saleId));
    }

    private static int countAdmitted(List<QueueClient> clients) {
        return (int) clients.stream().filter(QueueClient::admitted).count();
    }
}
