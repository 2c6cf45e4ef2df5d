package io.miaosha.api.seating;

import static io.miaosha.api.seating.SeatedSaleFixture.area;
import static io.miaosha.api.seating.SeatedSaleFixture.gridVenue;
import static io.miaosha.api.seating.SeatedSaleFixture.liveSale;
import static io.miaosha.api.seating.SeatedSaleFixture.seatIds;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.miaosha.api.testing.TestSales;
import io.miaosha.api.testing.TestUser;
import io.miaosha.api.testing.TestUsers;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A seated order names its seats wherever its owner reads it: the order and the list of orders. */
@QuarkusTest
class SeatedOrderViewTest {

    @Inject
    TestUsers users;
    @Inject
    TestSales sales;
    @Inject
    Pool db;

    @Test
    void theOrderAndTheOrderListNameTheSeatsFrontToBack() {
        long venueId = gridVenue(users.admin(), List.of(area("Stalls", 2, 5), area("Circle", 1, 4)));
        long saleId = liveSale(users.admin(), sales, venueId, Map.of("Stalls", 5000L, "Circle", 3000L), null);
        List<Long> ids = seatIds(saleId);
        TestUser shopper = users.shopper();
        JsonPath receipt = given().header("Authorization", shopper.bearer()).contentType(ContentType.JSON)
                .body(Map.of("seats", List.of(ids.get(11), ids.get(6)))).post("/api/sales/" + saleId + "/seats/pick")
                .then().statusCode(202).extract().jsonPath();
        String orderId = receipt.getString("orderId");
        persistAsTheWorkerDoes(orderId, saleId, shopper.id(), receipt);

        given().header("Authorization", shopper.bearer()).get("/api/orders/" + orderId).then().statusCode(200)
                .body("seats", equalTo(List.of("Stalls row 2 seat 2", "Circle row 1 seat 2")));
        given().header("Authorization", shopper.bearer()).get("/api/me/orders").then().statusCode(200)
                .body("find { it.id == '" + orderId + "' }.seats", equalTo(List.of("Stalls row 2 seat 2", "Circle row 1 seat 2")));
    }

    @Test
    void aPickAcrossAreasShowsEachSeatsOwnPriceAndTheExactTotal() {
        long venueId = gridVenue(users.admin(), List.of(area("Stalls", 1, 4), area("Circle", 1, 4)));
        long saleId = liveSale(users.admin(), sales, venueId, Map.of("Stalls", 5001L, "Circle", 3000L), null);
        List<Long> ids = seatIds(saleId);
        TestUser shopper = users.shopper();
        JsonPath receipt = given().header("Authorization", shopper.bearer()).contentType(ContentType.JSON)
                .body(Map.of("seats", List.of(ids.get(0), ids.get(4), ids.get(5)))).post("/api/sales/" + saleId + "/seats/pick")
                .then().statusCode(202).extract().jsonPath();
        String orderId = receipt.getString("orderId");
        persistAsTheWorkerDoes(orderId, saleId, shopper.id(), receipt);

        // 5001 + 3000 + 3000 = 11001: the unit price is the average rounded down, each seat keeps its own.
        given().header("Authorization", shopper.bearer()).get("/api/orders/" + orderId).then().statusCode(200)
                .body("totalMinor", equalTo(11001))
                .body("unitPriceMinor", equalTo(3667))
                .body("seats", equalTo(List.of("Stalls row 1 seat 1", "Circle row 1 seat 1", "Circle row 1 seat 2")))
                .body("seatPrices.seat", equalTo(List.of("Stalls row 1 seat 1", "Circle row 1 seat 1", "Circle row 1 seat 2")))
                .body("seatPrices.priceMinor", equalTo(List.of(5001, 3000, 3000)));
        given().header("Authorization", shopper.bearer()).get("/api/me/orders").then().statusCode(200)
                .body("find { it.id == '" + orderId + "' }.seatPrices.priceMinor", equalTo(List.of(5001, 3000, 3000)));
    }

    @Test
    void anOrderOfUnitsHasNoSeats() {
        long saleId = sales.live(5, 2);
        TestUser shopper = users.shopper();
        String orderId = given().header("Authorization", shopper.bearer()).contentType(ContentType.JSON)
                .body("{\"quantity\":1}").post("/api/sales/" + saleId + "/purchase").then().statusCode(202)
                .extract().path("orderId");
        insertOrder(orderId, saleId, shopper.id(), 1, 1999);

        given().header("Authorization", shopper.bearer()).get("/api/orders/" + orderId).then().statusCode(200)
                .body("seats", equalTo(List.of()))
                .body("seatPrices", equalTo(List.of()));
    }

    /** The order row and its seat rows, as the order-worker writes them from the pick's message. */
    private void persistAsTheWorkerDoes(String orderId, long saleId, long userId, JsonPath receipt) {
        List<Map<String, Object>> seats = receipt.getList("seats");
        insertOrder(orderId, saleId, userId, seats.size(), receipt.getLong("amountMinor"));
        for (Map<String, Object> seat : seats) {
            db.preparedQuery("INSERT INTO order_seats (order_id, seat_id, sale_id, position, price_minor) VALUES (?, ?, ?, ?, ?)")
                    .execute(Tuple.from(List.of(orderId, ((Number) seat.get("id")).longValue(), saleId,
                            ((Number) seat.get("position")).intValue(), ((Number) seat.get("priceMinor")).longValue())))
                    .await().atMost(Duration.ofSeconds(10));
        }
    }

    private void insertOrder(String orderId, long saleId, long userId, int quantity, long total) {
        db.preparedQuery("""
                        INSERT INTO orders (id, sale_id, user_id, quantity, unit_price_minor, total_minor, currency, status,
                                            pay_by, created_at)
                        VALUES (?, ?, ?, ?, ?, ?, 'EUR', 'PENDING_PAYMENT', ?, ?)""")
                .execute(Tuple.from(List.of(orderId, saleId, userId, quantity, total / quantity, total,
                        TestSales.utc(Instant.now().plusSeconds(300)), TestSales.utc(Instant.now()))))
                .await().atMost(Duration.ofSeconds(10));
    }
}
