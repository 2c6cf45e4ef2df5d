package io.miaosha.system;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.miaosha.common.sale.SaleKeys;
import io.miaosha.testsupport.ServiceProcess;
import io.miaosha.testsupport.SessionTokens;
import io.miaosha.testsupport.TestDatabase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * kill -9 of a seated sale's Redis (a redis-server of the test's own) with every pick and a payment
 * still in RabbitMQ, then a restart empty: the sale comes back with each seat of a live hold held by
 * its order, the paid seats sold and every other seat free, although MySQL had none of those orders
 * when the sale was re-armed (the worker writes or notes them while it recovers). Then paying sells
 * exactly an order's seats, expiry frees exactly the unpaid ones' seats, a free seat can be picked and
 * no seat is in two live orders.
 */
class SeatedRedisLossIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int ROWS = 2;
    private static final int PER_ROW = 10;
    private static final int PICKERS = 6;
    /** Long enough for the worker to start and the sale to be rebuilt before the first picks' holds are due. */
    private static final int HOLD_SECONDS = 75;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void anEmptiedRedisGetsEverySeatBackAsItsOrdersHoldItAndSellsNoSeatTwice() throws Exception {
        SessionTokens minter = SystemStack.tokens();
        try (OwnRedis redis = OwnRedis.withoutPersistence(); TestDatabase db = TestDatabase.connect();
                // A quiet period longer than the default 1 s: a worker started cold on a busy machine can take
                // longer than that from taking its first batch to noting it (RELIABILITY.md's window), and this
                // test is about what the rebuild does with the orders, not about that window.
                ServiceProcess api = SystemStack.startApi(SystemStack.API_PORT, Map.of("quarkus.redis.hosts", redis.url(),
                        "miaosha.recovery.quiet", "PT8S"));
                Connection sql = DriverManager.getConnection(TestDatabase.URL, "miaosha", "miaosha")) {
            long adminId = db.insertAdmin();
            String admin = minter.admin(adminId);
            long saleId = seatedSale(api.baseUrl(), admin, product(sql));
            SaleKeys keys = new SaleKeys(saleId);
            List<Long> seatIds = seatIds(api.baseUrl(), saleId);
            List<Long> shoppers = db.insertShoppers(PICKERS + 2);
            Map<Long, String> tokens = new HashMap<>();
            shoppers.forEach(user -> tokens.put(user, minter.shopper(user)));

            // Shopper i holds seats 2i and 2i+1 (positions 0-11); shopper 0 pays before the loss.
            List<String> orders = new ArrayList<>();
            for (int i = 0; i < PICKERS; i++) {
                HttpResponse<String> pick = pick(api.baseUrl(), saleId, tokens.get(shoppers.get(i)), seatIds.get(2 * i), seatIds.get(2 * i + 1));
                assertEquals(202, pick.statusCode(), pick.body());
                orders.add(JSON.readTree(pick.body()).path("orderId").asText());
            }
            assertEquals(200, pay(api.baseUrl(), tokens.get(shoppers.get(0)), orders.get(0)).statusCode());
            assertEquals("22" + "1".repeat(10) + "00000000", redis.cli("GET", keys.seats()));
            await().atMost(Duration.ofSeconds(30)).until(() -> "0".equals(redis.cli("XLEN", keys.outbox())));

            redis.kill9();
            redis.restart();
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                    .untilAsserted(() -> PipelineChecks.arm(api.baseUrl(), saleId, minter, adminId));
            assertEquals("1", redis.cli("HEXISTS", keys.meta(), "recovering"), "re-armed after the loss, it recovers");
            assertEquals("0".repeat(ROWS * PER_ROW), redis.cli("GET", keys.seats()), "MySQL had none of the picks at arming");
            assertEquals(503, pick(api.baseUrl(), saleId, tokens.get(shoppers.get(PICKERS)), seatIds.get(0)).statusCode(),
                    "nothing is picked while it recovers");

            try (ServiceProcess worker = SystemStack.startWorker(Map.of("quarkus.redis.hosts", redis.url()))) {
                await().atMost(Duration.ofSeconds(90)).until(() -> "0".equals(redis.cli("HEXISTS", keys.meta(), "recovering")));
                assertEquals("22" + "1".repeat(10) + "00000000", redis.cli("GET", keys.seats()),
                        "the paid order's seats sold, the others' held, the rest free");
                for (int i = 0; i < PICKERS; i++) {
                    assertEquals(List.of(2 * i, 2 * i + 1), holdSeats(redis, keys, orders.get(i)), "order " + i + "'s seats");
                }
                assertEquals(Long.toString(ROWS * PER_ROW - 2L * PICKERS), redis.cli("GET", keys.stock()), "the stock is the free seats");

                long late = shoppers.get(PICKERS);
                assertEquals(409, pick(api.baseUrl(), saleId, tokens.get(late), seatIds.get(4)).statusCode(), "a held seat is not sold again");
                assertEquals(409, pick(api.baseUrl(), saleId, tokens.get(late), seatIds.get(1)).statusCode(), "nor a sold one");
                HttpResponse<String> fresh = pick(api.baseUrl(), saleId, tokens.get(late), seatIds.get(12));
                assertEquals(202, fresh.statusCode(), "a free seat is pickable: " + fresh.body());
                String freshOrder = JSON.readTree(fresh.body()).path("orderId").asText();

                assertEquals(200, pay(api.baseUrl(), tokens.get(shoppers.get(1)), orders.get(1)).statusCode(), "a held order can be paid");
                assertEquals("2222" + "1".repeat(8) + "1" + "0000000", redis.cli("GET", keys.seats()), "paying sold exactly its seats");

                // The unpaid first picks expire at their pay-by: exactly their seats turn free, once.
                await().atMost(Duration.ofSeconds(HOLD_SECONDS + 60)).pollInterval(Duration.ofSeconds(1))
                        .until(() -> statuses(sql, saleId).getOrDefault("EXPIRED", 0) == PICKERS - 2);
                await().atMost(Duration.ofSeconds(10)).until(() -> redis.cli("GET", keys.seats()).equals("2222" + "0".repeat(8) + "1" + "0000000"));
                assertEquals(Map.of("PAID", 2, "EXPIRED", PICKERS - 2, "PENDING_PAYMENT", 1), statuses(sql, saleId));
                assertEquals(Long.toString(ROWS * PER_ROW - 5L), redis.cli("GET", keys.stock()));
                HttpResponse<String> again = pick(api.baseUrl(), saleId, tokens.get(shoppers.get(PICKERS + 1)), seatIds.get(4), seatIds.get(5));
                assertEquals(202, again.statusCode(), "an expired order's seats are pickable again: " + again.body());
                assertEquals(List.of(), seatsInTwoLiveOrders(sql, saleId), "no seat in two live orders");
                assertTrue(freshOrder.length() > 0);
            }
        }
    }

    private long product(Connection sql) throws Exception {
        try (Statement insert = sql.createStatement()) {
            insert.executeUpdate("INSERT INTO products (sku, name) VALUES ('seat-loss-" + System.nanoTime() + "', 'Concert')",
                    Statement.RETURN_GENERATED_KEYS);
            try (ResultSet keys = insert.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        }
    }

    private long seatedSale(String api, String admin, long productId) throws Exception {
        HttpResponse<String> venue = post(api + "/api/admin/venues", admin, "{\"name\":\"Hall " + System.nanoTime()
                + "\",\"areas\":[{\"name\":\"Stalls\",\"rows\":" + ROWS + ",\"seatsPerRow\":" + PER_ROW + "}]}");
        assertEquals(201, venue.statusCode(), venue.body());
        HttpResponse<String> sale = post(api + "/api/admin/venues/" + JSON.readTree(venue.body()).path("id").asLong() + "/sales", admin,
                "{\"productId\":" + productId + ",\"title\":\"Seats after a loss\",\"currency\":\"EUR\",\"opensAt\":\""
                        + Instant.now().minusSeconds(60) + "\",\"closesAt\":\"" + Instant.now().plusSeconds(3600)
                        + "\",\"areaPrices\":{\"Stalls\":5000},\"seatLimit\":4,\"holdSeconds\":" + HOLD_SECONDS + ",\"queueEnabled\":false}");
        assertEquals(201, sale.statusCode(), sale.body());
        return JSON.readTree(sale.body()).path("id").asLong();
    }

    private List<Long> seatIds(String api, long saleId) throws Exception {
        JsonNode layout = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(api + "/api/sales/" + saleId + "/seats")).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body());
        List<Long> ids = new ArrayList<>();
        layout.path("seats").path("id").forEach(id -> ids.add(id.asLong()));
        return ids;
    }

    private HttpResponse<String> pick(String api, long saleId, String token, Long... seats) throws Exception {
        return post(api + "/api/sales/" + saleId + "/seats/pick", token, "{\"seats\":" + List.of(seats) + "}");
    }

    private HttpResponse<String> pay(String api, String token, String orderId) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(api + "/api/orders/" + orderId + "/pay"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .header("Idempotency-Key", "pay-" + orderId)
                .POST(HttpRequest.BodyPublishers.ofString("{\"cardNumber\":\"4242424242424242\"}")).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String url, String token, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static List<Integer> holdSeats(OwnRedis redis, SaleKeys keys, String orderId) {
        String value = redis.cli("HGET", keys.holdSeats(), orderId);
        List<Integer> seats = new ArrayList<>();
        for (String p : value.substring(value.indexOf('|') + 1).split(",")) {
            seats.add(Integer.valueOf(p));
        }
        seats.sort(null);
        return seats;
    }

    private static Map<String, Integer> statuses(Connection sql, long saleId) throws Exception {
        Map<String, Integer> statuses = new HashMap<>();
        try (PreparedStatement query = sql.prepareStatement("SELECT status, COUNT(*) FROM orders WHERE sale_id = ? GROUP BY status")) {
            query.setLong(1, saleId);
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    statuses.put(rs.getString(1), rs.getInt(2));
                }
            }
        }
        return statuses;
    }

    private static List<Integer> seatsInTwoLiveOrders(Connection sql, long saleId) throws Exception {
        List<Integer> twice = new ArrayList<>();
        try (PreparedStatement query = sql.prepareStatement("""
                SELECT os.position FROM order_seats os JOIN orders o ON o.id = os.order_id
                WHERE os.sale_id = ? AND o.status IN ('PENDING_PAYMENT', 'PAID') GROUP BY os.position HAVING COUNT(*) > 1""")) {
            query.setLong(1, saleId);
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    twice.add(rs.getInt(1));
                }
            }
        }
        return twice;
    }
}
