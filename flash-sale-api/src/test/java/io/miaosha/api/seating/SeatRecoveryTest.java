package io.miaosha.api.seating;

import static io.miaosha.api.seating.SeatedSaleFixture.area;
import static io.miaosha.api.seating.SeatedSaleFixture.gridVenue;
import static io.miaosha.api.seating.SeatedSaleFixture.liveSale;
import static io.miaosha.api.seating.SeatedSaleFixture.seatIds;
import static io.miaosha.api.testing.ProblemJson.assertProblem;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.miaosha.api.testing.Stores;
import io.miaosha.api.testing.TestSales;
import io.miaosha.api.testing.TestUser;
import io.miaosha.api.testing.TestUsers;
import io.miaosha.common.order.OrderIds;
import io.miaosha.common.order.OrderPlaced;
import io.miaosha.common.sale.AdoptOrdersScript;
import io.miaosha.common.sale.PayScript;
import io.miaosha.common.sale.ReleaseHoldScript;
import io.miaosha.common.sale.SaleKeys;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A seated sale whose hot state Redis lost comes back with its seat map rebuilt from MySQL's orders
 * (restore_sale.lua): the seats of a pending order held by that order, of a paid one sold, of an
 * expired one free, every other seat free; an order the worker adopts after the rebuild holds its seats
 * again. Then expiry frees exactly a hold's seats, paying sells exactly them, and no seat is in two
 * live orders. (RedisLossIT's seated case kills a real Redis with the orders still in the broker.)
 */
@QuarkusTest
class SeatRecoveryTest {

    private static final long PRICE = 5000;

    @Inject
    TestUsers users;
    @Inject
    TestSales sales;
    @Inject
    Stores stores;
    @Inject
    ReactiveRedisDataSource redis;

    @Test
    void aSeatedSaleThatLostItsHotStateGetsEverySeatBackAsItsOrdersHoldIt() {
        // One area of 2 rows of 5: positions 0-9.
        long venueId = gridVenue(users.admin(), List.of(area("Stalls", 2, 5)));
        long saleId = liveSale(users.admin(), sales, venueId, Map.of("Stalls", PRICE), 4);
        List<Long> ids = seatIds(saleId);
        TestUser pending = users.shopper();
        TestUser paid = users.shopper();
        TestUser expired = users.shopper();
        String pendingOrder = persisted(saleId, pending, "PENDING_PAYMENT", 0, 1);
        String paidOrder = persisted(saleId, paid, "PAID", 2);
        persisted(saleId, expired, "EXPIRED", 3);
        stores.execute("UPDATE sales SET armed_at = ? WHERE id = ?", TestSales.utc(Instant.now()), saleId);
        sales.forgetHotState(saleId);
        // An order the worker took from the queue while the sale was recovering, not written to MySQL yet:
        // it noted it, with its seat, for the rebuild (adopt_orders.lua). The seat map armed from MySQL
        // does not have it; the rebuild must.
        String notedOrder = OrderIds.next();
        long notedPayBy = Instant.now().plusSeconds(300).toEpochMilli();
        stores.redis().hash(String.class).hset(new SaleKeys(saleId).recoveryLate(), notedOrder,
                users.shopper().id() + "|1|" + notedPayBy + "|" + Instant.now().toEpochMilli() + "|" + PRICE + "|6");

        // The first pick finds the sale unarmed, arms it as recovering, and it is rebuilt before it answers.
        TestUser other = users.shopper();
        pick(other, saleId, ids.get(0), ids.get(5)).statusCode(409);
        assertNull(stores.meta(saleId).get("recovering"), "the recovery is over");
        assertEquals("1120001000", seats(saleId), "held by the pending and the noted order, sold to the payer, the expired one's free");
        assertEquals(PRICE * 2 + "|0,1", holdSeats(saleId).get(pendingOrder), "the pending order's seats, to free or sell");
        assertEquals(PRICE + "|2", holdSeats(saleId).get(paidOrder));
        assertEquals(PRICE + "|6", holdSeats(saleId).get(notedOrder));
        assertEquals("PENDING", stores.holds(saleId).get(notedOrder).split("\\|")[3]);
        assertEquals(6L, stores.stock(saleId), "the stock is the free seats");
        assertEveryTakenSeatHasOneLiveOrder(saleId);

        pick(other, saleId, ids.get(3), ids.get(5)).statusCode(202);
        assertEquals("1121011000", seats(saleId), "the expired order's seat and a never picked one are pickable");

        // An order that was still in the pipeline reaches the worker after the rebuild: it holds its seat again.
        String lateOrder = OrderIds.next();
        TestUser late = users.shopper();
        long payBy = Instant.now().plusSeconds(300).toEpochMilli();
        AdoptOrdersScript.Result adopted = new AdoptOrdersScript(redis).run(saleId, 86_400, List.of(new OrderPlaced(lateOrder, saleId,
                late.id(), 1, PRICE, "EUR", Instant.now().toEpochMilli(), payBy, null, null, List.of(9), PRICE)))
                .await().atMost(Duration.ofSeconds(10));
        assertEquals(new AdoptOrdersScript.Result(1, 0, 0), adopted);
        assertEquals("1121011001", seats(saleId));
        assertProblem(pick(users.shopper(), saleId, ids.get(9)), 409, "seats-taken");

        // Expiry frees exactly the pending order's seats, once; paying the adopted one sells exactly its seat.
        ReleaseHoldScript release = new ReleaseHoldScript(redis);
        long overdue = Instant.now().plusSeconds(400).toEpochMilli();
        assertInstanceOf(ReleaseHoldScript.Result.Released.class,
                release.run(saleId, pendingOrder, overdue).await().atMost(Duration.ofSeconds(10)));
        assertEquals("0021011001", seats(saleId));
        release.run(saleId, pendingOrder, overdue).await().atMost(Duration.ofSeconds(10));
        assertEquals("0021011001", seats(saleId), "a second release frees nothing");
        assertInstanceOf(PayScript.Result.Paid.class, new PayScript(redis)
                .run(saleId, lateOrder, late.id(), "pay-" + lateOrder, 0).await().atMost(Duration.ofSeconds(10)));
        assertEquals("0021011002", seats(saleId));
        assertEquals(5L, stores.stock(saleId), "every free seat is stock, no other");
        pick(users.shopper(), saleId, ids.get(0), ids.get(1)).statusCode(202);
        assertEquals("1121011002", seats(saleId), "the freed seats are pickable again");
        assertEveryTakenSeatHasOneLiveOrder(saleId);
    }

    /** No seat sold twice: the held and sold seats are exactly the seats of the live holds, each in one. */
    private void assertEveryTakenSeatHasOneLiveOrder(long saleId) {
        Map<String, String> holds = stores.holds(saleId);
        Map<Integer, String> owners = new java.util.TreeMap<>();
        holdSeats(saleId).forEach((order, seats) -> {
            String status = holds.get(order).split("\\|")[3];
            if (!status.equals("EXPIRED")) {
                for (String p : seats.substring(seats.indexOf('|') + 1).split(",")) {
                    assertNull(owners.put(Integer.valueOf(p), order + " " + status), "seat " + p + " in two live orders");
                }
            }
        });
        String states = seats(saleId);
        for (int p = 0; p < states.length(); p++) {
            String owner = owners.get(p);
            char expected = owner == null ? '0' : owner.endsWith("PAID") ? '2' : '1';
            assertEquals(expected, states.charAt(p), "seat " + p + " of " + owner);
        }
    }

    /** An order row and its seat rows, as the order-worker writes them (and the payment consumer marks them). */
    private String persisted(long saleId, TestUser user, String status, int... positions) {
        String orderId = OrderIds.next();
        Instant now = TestSales.now();
        stores.execute("""
                INSERT INTO orders (id, sale_id, user_id, quantity, unit_price_minor, total_minor, currency, status,
                                    pay_by, created_at)
                VALUES (?, ?, ?, ?, ?, ?, 'EUR', ?, ?, ?)""",
                orderId, saleId, user.id(), positions.length, PRICE, PRICE * positions.length, status,
                TestSales.utc(now.plusSeconds(300)), TestSales.utc(now));
        for (int position : positions) {
            stores.execute("""
                    INSERT INTO order_seats (order_id, seat_id, sale_id, position, price_minor)
                    SELECT ?, st.id, sl.id, st.position, ? FROM sales sl JOIN seats st ON st.venue_id = sl.venue_id
                    WHERE sl.id = ? AND st.position = ?""", orderId, PRICE, saleId, position);
        }
        return orderId;
    }

    private static ValidatableResponse pick(TestUser shopper, long saleId, Long... seatIds) {
        return given().header("Authorization", shopper.bearer()).contentType(ContentType.JSON)
                .body(Map.of("seats", List.of(seatIds))).post("/api/sales/" + saleId + "/seats/pick").then();
    }

    private String seats(long saleId) {
        return stores.redis().value(String.class).get(new SaleKeys(saleId).seats());
    }

    private Map<String, String> holdSeats(long saleId) {
        return stores.redis().hash(String.class).hgetall(new SaleKeys(saleId).holdSeats());
    }
}
