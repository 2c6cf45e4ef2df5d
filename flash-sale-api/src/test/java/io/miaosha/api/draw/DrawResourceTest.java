package io.miaosha.api.draw;

import static io.miaosha.api.testing.ProblemJson.assertProblem;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.emptyOrNullString;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.miaosha.api.arming.SaleArmer;
import io.miaosha.api.testing.TestSales;
import io.miaosha.common.queue.QueueJoinScript;
import io.miaosha.common.sale.SaleKeys;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** GET /api/sales/{id}/draw: the commitment before opening, the seed and the order after, for anyone. */
@QuarkusTest
class DrawResourceTest {

    @Inject
    TestSales sales;
    @Inject
    SaleArmer armer;
    @Inject
    ReactiveRedisDataSource redis;

    @Test
    void theDrawsEntriesOpenTheConfiguredTimeBeforeOpeningInTheSaleAndInItsHotState() {
        long saleId = sales.upcomingQueued(100, 2, 10);
        armer.armById(saleId).await().atMost(Duration.ofSeconds(10));
        long opensAt = Long.parseLong(redis.hash(String.class).hget(new SaleKeys(saleId).meta(), "opens_at")
                .await().atMost(Duration.ofSeconds(5)));
        long drawFrom = Long.parseLong(redis.hash(String.class).hget(new SaleKeys(saleId).meta(), "draw_from")
                .await().atMost(Duration.ofSeconds(5)));

        assertEquals(opensAt - Duration.ofHours(2).toMillis(), drawFrom, "the test profile's entries-open-before (PT2H)");
        given().get("/api/sales/" + saleId).then().statusCode(200)
                .body("drawEntriesOpenAt", equalTo(Instant.ofEpochMilli(drawFrom).toString()));
    }

    @Test
    void beforeOpeningOnlyTheCommitmentAfterItTheSeedAndTheOrder() throws Exception {
        long saleId = sales.upcomingQueued(100, 2, 10);
        armer.armById(saleId).await().atMost(Duration.ofSeconds(10));
        String opensAt = redis.hash(String.class).hget(new SaleKeys(saleId).meta(), "opens_at").await().atMost(Duration.ofSeconds(5));

        JsonPath before = given().get("/api/sales/" + saleId + "/draw").then().statusCode(200).contentType(ContentType.JSON)
                .header("ETag", not(emptyOrNullString()))
                .body("saleId", equalTo((int) saleId))
                .body("commitment", matchesPattern("[0-9a-f]{64}"))
                .body("revealAt", equalTo(Instant.ofEpochMilli(Long.parseLong(opensAt)).toString()))
                .body("seed", nullValue())
                .body("entrants", nullValue())
                .body("function", not(emptyOrNullString()))
                .extract().jsonPath();
        String commitment = before.getString("commitment");

        // Shoppers join before opening (as the gateway has them join), each under its ticket id.
        List<String> tickets = new ArrayList<>();
        long now = System.currentTimeMillis();
        for (int user = 1; user <= 12; user++) {
            String ticket = String.format("%016x", user * 0x9E3779B97F4A7C15L);
            tickets.add(ticket);
            new QueueJoinScript(redis).run(saleId, user, now, ticket).await().atMost(Duration.ofSeconds(5));
        }
        given().get("/api/sales/" + saleId + "/draw").then().statusCode(200)
                .body("commitment", equalTo(commitment)).body("seed", nullValue()).body("entrants", nullValue());

        redis.hash(String.class).hset(new SaleKeys(saleId).meta(), "opens_at", Long.toString(System.currentTimeMillis() - 1000))
                .await().atMost(Duration.ofSeconds(5));
        JsonPath after = given().get("/api/sales/" + saleId + "/draw").then().statusCode(200)
                .body("commitment", equalTo(commitment))
                .body("seed", matchesPattern("[0-9a-f]{64}"))
                .extract().jsonPath();
        String seed = after.getString("seed");
        assertEquals(commitment, HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(HexFormat.of().parseHex(seed))),
                "the seed revealed is the one committed to");
        List<String> expected = tickets.stream().sorted(Comparator.comparingDouble((String t) -> value(seed, t))).toList();
        assertEquals(expected, after.getList("entrants", String.class), "the entrants in the order their values give");

        given().get("/api/sales/" + saleId + "/draw").then().statusCode(200)
                .body("seed", equalTo(seed)).body("entrants", equalTo(expected));
    }

    @Test
    void aSaleWithoutADrawIsNotFound() {
        long unknown = sales.upcoming(5, 1) + 1_000_000;
        assertProblem(given().get("/api/sales/" + unknown + "/draw").then(), 404, "not-found");
        long openWithoutEntrants = sales.liveQueued(5, 1, 10);
        armer.armById(openWithoutEntrants).await().atMost(Duration.ofSeconds(10));
        assertProblem(given().get("/api/sales/" + openWithoutEntrants + "/draw").then(), 404, "not-found");
        assertEquals(List.of(), sales.hotState(openWithoutEntrants).stream().filter(key -> key.contains(":draw")).toList(),
                "asking writes no draw for a sale that opened");
    }

    /** The published function, written out with nothing but SHA-256. */
    private static double value(String seed, String ticketId) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest((seed + ":" + ticketId).getBytes(StandardCharsets.UTF_8));
            return ((ByteBuffer.wrap(digest).getLong() >>> 12) + 1) / (Math.pow(2, 52) + 2);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
