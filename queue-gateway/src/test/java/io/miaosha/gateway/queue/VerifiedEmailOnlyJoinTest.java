package io.miaosha.gateway.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.miaosha.common.queue.QueueKeys;
import io.miaosha.common.sale.SaleKeys;
import io.miaosha.gateway.testing.QueueClient;
import io.miaosha.gateway.testing.QueueSales;
import io.miaosha.testsupport.SessionTokens;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A sale armed for verified email accounts only (meta verified_only, from the API's flag) gives no
 * ticket to a session without the email_verified claim: the socket is told why in a shopper's words
 * and closed, and nothing is written. A session with the claim joins as anyone does.
 */
@QuarkusTest
class VerifiedEmailOnlyJoinTest {

    @Inject
    RedisDataSource redis;
    @Inject
    Vertx vertx;
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
    void aSessionWithoutTheClaimIsRefusedInWordsAndGetsNoTicket() {
        long saleId = verifiedOnly(sales.live(10, 1, 600_000));
        List<String> armed = sales.keys(saleId);
        assertEquals(List.of(new SaleKeys(saleId).meta(), new SaleKeys(saleId).stock()), armed);
        long userId = sales.nextUserId();

        QueueClient client = QueueClient.connect(vertx, url.getPort(), saleId, userId, SessionTokens.dev().shopper(userId));
        JsonObject error = client.await("error", Duration.ofSeconds(5));

        assertEquals("email-not-verified", error.getString("reason"));
        assertEquals("This sale is for accounts with a confirmed email. Check your inbox for the link, or send it again.",
                error.getString("message"));
        QueueClient.sleep(300);
        assertTrue(client.closed, "the socket is closed after the refusal");
        assertNull(client.first("position"), "no place given");
        // The proof-of-work gate, before the waiting room, records its spent proof and join counts (pow:*),
        // as for any join: the queue itself holds nothing of this shopper.
        assertEquals(armed, sales.keys(saleId).stream().filter(key -> !key.contains(":pow:")).toList(),
                "no queue state under " + new SaleKeys(saleId).tag());
        assertTrue(redis.sortedSet(Long.class).zscore(new QueueKeys(saleId).waiting(), userId).isEmpty(), "no ticket");
    }

    @Test
    void aSessionWithTheClaimJoins() {
        long saleId = verifiedOnly(sales.live(10, 1, 600_000));
        long userId = sales.nextUserId();
        String verified = SessionTokens.dev().claims(userId, "verified-" + userId + "@test.miaosha.dev", "shopper")
                .claim("email_verified", true).sign();

        QueueClient client = QueueClient.connect(vertx, url.getPort(), saleId, userId, verified);
        client.await("sale", Duration.ofSeconds(5));
        client.await("admitted", Duration.ofSeconds(10));
        assertNull(client.first("error"));
        client.close();
    }

    @Test
    void aClaimThatIsNotTrueIsNoClaim() {
        long saleId = verifiedOnly(sales.live(10, 1, 600_000));
        long userId = sales.nextUserId();
        // Only a JSON true counts: the text "true" is not what the API writes.
        String text = SessionTokens.dev().claims(userId, "text-" + userId + "@test.miaosha.dev", "shopper")
                .claim("email_verified", "true").sign();

        QueueClient client = QueueClient.connect(vertx, url.getPort(), saleId, userId, text);
        assertEquals("email-not-verified", client.await("error", Duration.ofSeconds(5)).getString("reason"));
    }

    private long verifiedOnly(long saleId) {
        redis.hash(String.class).hset(new SaleKeys(saleId).meta(), "verified_only", "1");
        return saleId;
    }
}
