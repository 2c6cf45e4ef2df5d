package io.miaosha.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.miaosha.common.session.SessionKeys;
import io.miaosha.gateway.testing.QueueClient;
import io.miaosha.gateway.testing.QueueSales;
import io.miaosha.testsupport.SessionTokens;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The gateway applies the API's session rules at the upgrade: a token ended early in Redis (as
 * flash-sale-api's SessionRevocations writes it) or with a subject that is not a user id is 401,
 * never a 5xx and never a ticket.
 */
@QuarkusTest
class SessionRulesTest {

    @Inject
    RedisDataSource redis;
    @Inject
    Vertx vertx;
    @TestHTTPResource("/")
    URL url;


    @AfterEach
    void dropSessionState() {
        var keys = redis.key().keys("{user:*}:session:*");
        if (!keys.isEmpty()) {
            redis.key().del(keys.toArray(String[]::new));
        }
    }

    @Test
    void aLoggedOutTokenIsRefusedAndAnotherOfTheSameUserIsNot() {
        QueueSales sales = new QueueSales(redis);
        long saleId = sales.live(100, 10, 600_000);
        long user = sales.nextUserId();
        String jti = UUID.randomUUID().toString();
        redis.value(String.class).psetex(new SessionKeys(user).revoked(jti), 60_000, "1");

        assertRefused(saleId, user, token(Long.toString(user), jti, 0), 401);

        assertEquals(null, sales.ticket(saleId, user), "no ticket for a refused upgrade");
        QueueClient other = QueueClient.connect(vertx, url.getPort(), saleId, user);
        other.await("sale", Duration.ofSeconds(5));
        other.close();
    }

    @Test
    void aTokenIssuedBeforeARoleChangeOrRemovalIsRefusedAndOneIssuedAfterIsNot() {
        QueueSales sales = new QueueSales(redis);
        long saleId = sales.live(100, 10, 600_000);
        long user = sales.nextUserId();
        redis.value(String.class).set(new SessionKeys(user).version(), "2");

        assertRefused(saleId, user, token(Long.toString(user), UUID.randomUUID().toString(), 1), 401);
        assertRefused(saleId, user, SessionTokens.dev().shopper(user), 401); // no version claim: version 0, older still

        QueueClient current = QueueClient.await(QueueClient.open(vertx.createWebSocketClient(), "127.0.0.1", url.getPort(),
                saleId, user, token(Long.toString(user), UUID.randomUUID().toString(), 2)));
        assertEquals("miaosha.v1", current.subprotocol());
        current.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-5", "+5", "05", "abc", "5.0", "99999999999999999999", "١٢"})
    void aSubjectThatIsNotAUserIdIsRefusedWith401(String subject) {
        QueueSales sales = new QueueSales(redis);
        long saleId = sales.live(100, 10, 600_000);
        assertRefused(saleId, 0, token(subject, UUID.randomUUID().toString(), 0), 401);
    }

    @Test
    void clockLeewayIsAFewSeconds() {
        QueueSales sales = new QueueSales(redis);
        long saleId = sales.live(100, 10, 600_000);
        long user = sales.nextUserId();
        Instant now = Instant.now();
        String expiredTenSecondsAgo = SessionTokens.dev().claims().subject(Long.toString(user)).groups("shopper")
                .issuedAt(now.minusSeconds(600)).expiresAt(now.minusSeconds(10)).sign();
        assertRefused(saleId, user, expiredTenSecondsAgo, 401);
    }

    private void assertRefused(long saleId, long user, String token, int status) {
        AssertionError refused = assertThrows(AssertionError.class, () -> QueueClient.await(
                QueueClient.open(vertx.createWebSocketClient(), "127.0.0.1", url.getPort(), saleId, user, token)));
        assertTrue(refused.getMessage().contains(Integer.toString(status)), refused.getMessage());
    }

    private static String token(String subject, String jti, long version) {
        return SessionTokens.dev().claims().subject(subject).upn("s@test.miaosha.dev").groups("shopper")
                .claim("jti", jti).claim(SessionKeys.VERSION_CLAIM, version)
                .expiresAt(Instant.now().plusSeconds(600)).sign();
    }
}
