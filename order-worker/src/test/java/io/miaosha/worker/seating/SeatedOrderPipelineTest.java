package io.miaosha.worker.seating;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.miaosha.common.events.OutboxEntries;
import io.miaosha.common.order.OrderChannels;
import io.miaosha.common.order.OrderIds;
import io.miaosha.common.order.OrderPlaced;
import io.miaosha.common.purchase.PurchaseScript;
import io.miaosha.common.purchase.PurchaseScript.Result;
import io.miaosha.common.purchase.PurchaseScript.SeatChoice;
import io.miaosha.common.sale.ArmSaleScript;
import io.miaosha.common.sale.ArmSeatsScript;
import io.miaosha.common.sale.SaleKeys;
import io.miaosha.testsupport.Broker;
import io.miaosha.testsupport.ElasticMqResource;
import io.miaosha.worker.testing.Orders;
import io.miaosha.worker.testing.TestData;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.stream.StreamRange;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.mysqlclient.MySQLClient;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/**
 * A seated sale end to end through the worker: 2,000 concurrent seat picks by 500 shoppers for 100
 * seats (10 rows of 10, limit 4) through the seat script, their outbox entries through the broker as
 * the relay sends them, and then: every accepted pick is exactly one order row with exactly its seats
 * in order_seats, no seat in two orders. An unpaid pick's hold timer returns exactly its seats, once.
 */
@QuarkusTest
@QuarkusTestResource(ElasticMqResource.class)
class SeatedOrderPipelineTest {

    private static final int ROWS = 10;
    private static final int PER_ROW = 10;
    private static final int SEATS = ROWS * PER_ROW;
    private static final int LIMIT = 4;
    private static final long PRICE = 2500;

    @Inject
    Pool db;
    @Inject
    RedisDataSource redis;
    @Inject
    ReactiveRedisDataSource reactiveRedis;
    @Inject
    TestData data;

    private <T> T join(Uni<T> uni) {
        return uni.await().atMost(Duration.ofSeconds(30));
    }

    /** Venue, sale and area price in MySQL; seat map and sale armed in Redis, as the API arms them. */
    private long seatedSale(long holdMs) {
        long venueId = insert("INSERT INTO venues (name, seat_count) VALUES ('Worker hall', ?)", SEATS);
        long areaId = insert("INSERT INTO venue_areas (venue_id, ordinal, name, price_tier) VALUES (?, 1, 'Floor', 'A')", venueId);
        List<Tuple> seats = new ArrayList<>();
        for (int p = 0; p < SEATS; p++) {
            seats.add(Tuple.from(List.of(venueId, areaId, p, p / PER_ROW + 1, Integer.toString(p / PER_ROW + 1),
                    Integer.toString(p % PER_ROW + 1), p % PER_ROW * 10, p / PER_ROW * 10)));
        }
        join(db.preparedQuery("INSERT INTO seats (venue_id, area_id, position, row_ordinal, row_label, seat_label, x, y)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)").executeBatch(seats));
        long productId = insert("INSERT INTO products (sku, name) VALUES (?, 'Ticket')", "sku-" + UUID.randomUUID());
        Instant now = Instant.now();
        long saleId = insert("""
                        INSERT INTO sales (product_id, title, price_minor, currency, stock, opens_at, closes_at,
                                           per_user_limit, queue_capacity, window_seconds, hold_seconds, venue_id)
                        VALUES (?, 'Seated drop', ?, 'EUR', ?, ?, ?, ?, 100, 600, 30, ?)""",
                productId, PRICE, SEATS, TestData.utc(now.minusSeconds(60)), TestData.utc(now.plusSeconds(3600)), LIMIT, venueId);
        join(db.preparedQuery("INSERT INTO sale_area_prices (sale_id, area_id, price_minor) VALUES (?, ?, ?)")
                .execute(Tuple.of(saleId, areaId, PRICE)));
        SaleKeys keys = new SaleKeys(saleId);
        List<String> old = redis.key().keys(keys.tag() + "*");
        if (!old.isEmpty()) {
            redis.key().del(old.toArray(String[]::new));
        }
        Map<Integer, List<Integer>> rows = new TreeMap<>();
        List<Integer> starts = new ArrayList<>();
        for (int r = 0; r < ROWS; r++) {
            starts.add(r * PER_ROW);
        }
        rows.put(1, starts);
        join(new ArmSeatsScript(reactiveRedis).run(saleId, new ArmSeatsScript.Layout("0".repeat(SEATS), List.of(SEATS),
                List.of(PRICE), rows)));
        join(new ArmSaleScript(reactiveRedis).run(saleId, new ArmSaleScript.Terms(now.minusSeconds(60).toEpochMilli(),
                now.plusSeconds(3600).toEpochMilli(), false, LIMIT, holdMs, PRICE, "EUR", SEATS, SEATS, false, 1, 600_000, false)));
        return saleId;
    }

    private long insert(String sql, Object... args) {
        return join(db.preparedQuery(sql).execute(Tuple.from(List.of(args))))
                .property(MySQLClient.LAST_INSERTED_ID);
    }

    private Result pick(long saleId, long userId, SeatChoice choice, int count) {
        return join(new PurchaseScript(reactiveRedis).run(new PurchaseScript.Request(saleId, userId, count, OrderIds.next(), 0,
                null, "", 60, null, choice)));
    }

    /** What the relay does with each outbox entry of the sale: publish it as an OrderPlaced. */
    private List<OrderPlaced> relay(Broker broker, long saleId) throws Exception {
        List<OrderPlaced> orders = new ArrayList<>();
        redis.stream(String.class).xrange(new SaleKeys(saleId).outbox(), StreamRange.of("-", "+"))
                .forEach(entry -> orders.add(OutboxEntries.toOrderPlaced(entry.payload())));
        for (OrderPlaced order : orders) {
            broker.publish(Orders.json(order), order.orderId());
        }
        return orders;
    }

    private Map<String, List<Integer>> seatsInMySql(long saleId) {
        Map<String, List<Integer>> seats = new HashMap<>();
        for (Row row : join(db.preparedQuery("SELECT order_id, position, price_minor FROM order_seats WHERE sale_id = ? ORDER BY position")
                .execute(Tuple.of(saleId)))) {
            assertEquals(PRICE, row.getLong(2));
            seats.computeIfAbsent(row.getString(0), id -> new ArrayList<>()).add(row.getInteger(1));
        }
        return seats;
    }

    @Test
    void everyAcceptedPickOfACrowdIsOneOrderRowWithExactlyItsSeats() throws Exception {
        long saleId = seatedSale(300_000);
        List<Uni<Result>> attempts = new ArrayList<>();
        List<Long> users = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            long user = 1 + ThreadLocalRandom.current().nextInt(500);
            int count = 1 + ThreadLocalRandom.current().nextInt(3);
            int row = ThreadLocalRandom.current().nextInt(ROWS);
            int first = row * PER_ROW + ThreadLocalRandom.current().nextInt(PER_ROW - count + 1);
            List<Integer> positions = new ArrayList<>();
            for (int p = first; p < first + count; p++) {
                positions.add(p);
            }
            SeatChoice choice = i % 5 == 0 ? new SeatChoice.BestInArea(1) : new SeatChoice.Exactly(positions);
            users.add(user);
            attempts.add(new PurchaseScript(reactiveRedis).run(new PurchaseScript.Request(saleId, user, count, OrderIds.next(), 0,
                    null, "", 60, null, choice)));
        }
        List<Result> results = Multi.createFrom().iterable(attempts).onItem().transformToUni(u -> u).merge(128)
                .collect().asList().await().atMost(Duration.ofSeconds(60));

        Map<String, List<Integer>> accepted = new HashMap<>();
        results.forEach(r -> {
            if (r instanceof Result.SeatsHeld held) {
                accepted.put(held.orderId(), held.positions());
            } else {
                assertTrue(r instanceof Result.SeatsTaken || r instanceof Result.LimitReached || r instanceof Result.SoldOut
                        || r instanceof Result.NotEnoughSeats || r instanceof Result.NotEnoughStock, r.toString());
            }
        });
        assertTrue(accepted.size() > 20, "some picks were accepted: " + accepted.size());
        try (Broker broker = Broker.workerTests()) {
            List<OrderPlaced> placed = relay(broker, saleId);
            assertEquals(accepted.size(), placed.size(), "one outbox entry per accepted pick");
            await().atMost(Duration.ofSeconds(60)).until(() -> data.count("SELECT COUNT(*) FROM orders WHERE sale_id = ?", saleId)
                    == accepted.size());
        }
        assertEquals(accepted, seatsInMySql(saleId), "each order row has exactly its seats");
        assertEquals(0, data.count("SELECT COUNT(*) FROM (SELECT position FROM order_seats WHERE sale_id = ? GROUP BY position"
                + " HAVING COUNT(*) > 1) twice", saleId), "no seat in two orders");
        assertEquals(0, data.count("SELECT COUNT(*) FROM (SELECT user_id FROM orders WHERE sale_id = ? GROUP BY user_id"
                + " HAVING SUM(quantity) > ?) above", saleId, LIMIT), "nobody above the limit");
        assertEquals(PRICE * accepted.values().stream().mapToInt(List::size).sum(),
                data.count("SELECT SUM(total_minor) FROM orders WHERE sale_id = ?", saleId));
    }

    @Test
    void anUnpaidPicksTimerReturnsExactlyItsSeatsOnce() throws Exception {
        long holdMs = 1500;
        long saleId = seatedSale(holdMs);
        SaleKeys keys = new SaleKeys(saleId);
        Result.SeatsHeld expiring = assertInstanceOf(Result.SeatsHeld.class, pick(saleId, 1, new SeatChoice.Exactly(List.of(3, 4)), 2));
        Result.SeatsHeld kept = assertInstanceOf(Result.SeatsHeld.class, pick(saleId, 2, new SeatChoice.Exactly(List.of(5)), 1));
        try (Broker broker = Broker.workerTests()) {
            relay(broker, saleId);
            await().atMost(Duration.ofSeconds(30)).until(() -> data.status(expiring.orderId()) != null
                    && data.status(kept.orderId()) != null);
            String due = "{\"orderId\":\"%s\",\"saleId\":%d,\"payByMs\":%d}".formatted(expiring.orderId(), saleId, expiring.payByMs());
            Thread.sleep(Math.max(0, expiring.payByMs() - System.currentTimeMillis() + 200));
            broker.publish(OrderChannels.ORDERS_EXCHANGE, OrderChannels.HOLD_DUE_ROUTING_KEY, due);
            await().atMost(Duration.ofSeconds(15)).until(() -> "EXPIRED".equals(data.status(expiring.orderId())));

            String expected = "0".repeat(5) + "1" + "0".repeat(SEATS - 6);
            assertEquals(expected, redis.value(String.class).get(keys.seats()), "seats 3 and 4 free again, 5 still held");
            assertEquals(Integer.toString(SEATS - 1), redis.value(String.class).get(keys.stock()));
            long changes = redis.stream(String.class).xlen(keys.seatChanges());

            broker.publish(OrderChannels.ORDERS_EXCHANGE, OrderChannels.HOLD_DUE_ROUTING_KEY, due);
            Thread.sleep(1500);
            assertEquals(expected, redis.value(String.class).get(keys.seats()), "nothing returned twice");
            assertEquals(changes, redis.stream(String.class).xlen(keys.seatChanges()));
            assertEquals(Integer.toString(SEATS - 1), redis.value(String.class).get(keys.stock()));
        }
        assertEquals(Map.of(expiring.orderId(), List.of(3, 4), kept.orderId(), List.of(5)), seatsInMySql(saleId));
        assertEquals("PENDING_PAYMENT", data.status(kept.orderId()));
    }
}
