package io.miaosha.api.seating;

import static io.miaosha.api.seating.SeatedSaleFixture.area;
import static io.miaosha.api.seating.SeatedSaleFixture.gridVenue;
import static io.miaosha.api.seating.SeatedSaleFixture.liveSale;
import static io.miaosha.api.seating.SeatedSaleFixture.liveTerms;
import static io.miaosha.api.seating.SeatedSaleFixture.seatIds;
import static io.miaosha.api.testing.ProblemJson.assertProblem;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.miaosha.api.testing.Stores;
import io.miaosha.api.testing.TestSales;
import io.miaosha.api.testing.TestUser;
import io.miaosha.api.testing.TestUsers;
import io.miaosha.common.sale.SaleKeys;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Venues, seated sales and seat picks over the REST API; every refusal is problem+json and writes nothing. */
@QuarkusTest
class SeatedSalesResourceTest {

    private static final Map<String, Long> PRICES = Map.of("Stalls", 5000L, "Circle", 3000L);

    @Inject
    TestUsers users;
    @Inject
    TestSales sales;
    @Inject
    Stores stores;

    private TestUser admin;

    @BeforeEach
    void admin() {
        admin = users.admin();
    }

    private RequestSpecification asAdmin() {
        return given().header("Authorization", admin.bearer()).contentType(ContentType.JSON);
    }

    private static RequestSpecification as(TestUser shopper) {
        return given().header("Authorization", shopper.bearer()).contentType(ContentType.JSON);
    }

    private long stallsAndCircle() {
        return gridVenue(admin, List.of(area("Stalls", 2, 5), area("Circle", 1, 4)));
    }

    private Map<String, Long> counts() {
        return new LinkedHashMap<>(stores.tableCounts());
    }

    @Test
    void adminCreatesAGridVenueAndASeatedSaleThatShoppersPickSeatsIn() {
        long venueId = stallsAndCircle();
        asAdmin().get("/api/admin/venues/" + venueId).then().statusCode(200)
                .body("seatCount", equalTo(14)).body("areas", hasSize(2))
                .body("areas[0].name", equalTo("Stalls")).body("areas[0].rows", equalTo(2)).body("areas[0].seats", equalTo(10));
        asAdmin().get("/api/admin/venues").then().statusCode(200).body("find { it.id == " + venueId + " }.seatCount", equalTo(14));

        long saleId = liveSale(admin, sales, venueId, PRICES, null);
        given().get("/api/sales/" + saleId).then().statusCode(200)
                .body("stock", equalTo(14)).body("perUserLimit", equalTo(4)).body("price.amountMinor", equalTo(3000));
        List<Long> ids = seatIds(saleId);
        assertEquals(14, ids.size());
        given().get("/api/sales/" + saleId + "/seats").then().body("areas[1].priceMinor", equalTo(3000))
                .body("areas[1].firstPosition", equalTo(10)).body("seats.row[5]", equalTo("2"));

        TestUser shopper = users.shopper();
        as(shopper).body(Map.of("seats", List.of(ids.get(3), ids.get(11)))).post("/api/sales/" + saleId + "/seats/pick")
                .then().statusCode(202).header("Location", containsString("/api/orders/"))
                .body("quantity", equalTo(2)).body("amountMinor", equalTo(8000)).body("currency", equalTo("EUR"))
                .body("seats.position", equalTo(List.of(3, 11))).body("seats[1].area", equalTo("Circle"));
        given().get("/api/sales/" + saleId + "/seats/map").then().statusCode(200)
                .body("states", equalTo("00010000000100"));

        TestUser rival = users.shopper();
        assertProblem(as(rival).body(Map.of("seats", List.of(ids.get(2), ids.get(3)))).post("/api/sales/" + saleId + "/seats/pick")
                .then(), 409, "seats-taken")
                .body("seats.id", equalTo(List.of(ids.get(3).intValue()))).body("detail", containsString("Stalls row 1 seat 4"));
        as(rival).body(Map.of("area", "Stalls", "count", 3)).post("/api/sales/" + saleId + "/seats/pick")
                .then().statusCode(202).body("seats.position", equalTo(List.of(0, 1, 2))).body("amountMinor", equalTo(15000));
        assertProblem(as(rival).body(Map.of("quantity", 1)).post("/api/sales/" + saleId + "/purchase").then(), 409, "seats-required");
    }

    @Test
    void venueFromASeatListOrdersSeatsByAreaRowAndX() {
        List<Map<String, Object>> seats = List.of(
                Map.of("area", "Floor", "row", "A", "seat", "2", "x", 20, "y", 0),
                Map.of("area", "Floor", "row", "A", "seat", "1", "x", 10, "y", 0),
                Map.of("area", "Floor", "row", "B", "seat", "1", "x", 10, "y", 10));
        long venueId = asAdmin().body(Map.of("name", "Club", "areas", List.of(Map.of("name", "Floor", "priceTier", "GA")), "seats", seats))
                .post("/api/admin/venues").then().statusCode(201)
                .body("seatCount", equalTo(3)).body("areas[0].rows", equalTo(2)).extract().jsonPath().getLong("id");
        long saleId = liveSale(admin, sales, venueId, Map.of("Floor", 1000L), 2);
        given().get("/api/sales/" + saleId + "/seats").then().statusCode(200)
                .body("seats.label", equalTo(List.of("1", "2", "1"))).body("seats.row", equalTo(List.of("A", "A", "B")));
    }

    @Test
    void badVenuesAreRefusedAndWriteNothing() {
        TestUser shopper = users.shopper();
        Map<String, Long> before = counts();
        Map<String, Object> seat = Map.of("area", "Floor", "row", "A", "seat", "1", "x", 0, "y", 0);
        List<Map<String, Object>> floor = List.of(Map.of("name", "Floor"));

        assertProblem(asAdmin().body(Map.of("name", "No areas", "areas", List.of())).post("/api/admin/venues").then(), 400,
                "invalid-request").body("errors[0].field", equalTo("areas"));
        assertProblem(asAdmin().body(Map.of("name", "Grid without rows", "areas", floor)).post("/api/admin/venues").then(), 400,
                "invalid-request").body("errors[0].field", equalTo("areas[0].rows"));
        assertProblem(asAdmin().body(Map.of("name", "Too big", "areas", List.of(area("Floor", 1000, 101))))
                .post("/api/admin/venues").then(), 400, "invalid-request").body("detail", containsString("101000"));
        assertProblem(asAdmin().body(Map.of("name", "Unknown area", "areas", floor,
                        "seats", List.of(Map.of("area", "Balcony", "row", "A", "seat", "1", "x", 0, "y", 0))))
                .post("/api/admin/venues").then(), 400, "invalid-request").body("errors[0].field", equalTo("seats[0].area"));
        assertProblem(asAdmin().body(Map.of("name", "Twice", "areas", floor, "seats", List.of(seat, seat)))
                .post("/api/admin/venues").then(), 400, "invalid-request").body("detail", containsString("listed twice"));
        assertProblem(asAdmin().body(Map.of("name", "Same area twice", "areas", List.of(area("A", 1, 1), area("A", 1, 1))))
                .post("/api/admin/venues").then(), 400, "invalid-request");
        assertProblem(asAdmin().body("{\"name\": \"Broken\", \"areas\": [").post("/api/admin/venues").then(), 400, "invalid-request");
        assertProblem(given().header("Authorization", shopper.bearer()).contentType(ContentType.JSON)
                .body(Map.of("name", "Not an admin", "areas", List.of(area("A", 1, 1)))).post("/api/admin/venues").then(), 403, "forbidden");

        assertEquals(before, counts());
    }

    @Test
    void badSeatedSalesAreRefusedAndWriteNothing() {
        long venueId = stallsAndCircle();
        Map<String, Long> before = counts();

        assertProblem(asAdmin().body(liveTerms(sales, Map.of("Stalls", 5000L), null)).post("/api/admin/venues/" + venueId + "/sales")
                .then(), 400, "invalid-request").body("detail", containsString("no price for Circle"));
        Map<String, Long> extra = new HashMap<>(PRICES);
        extra.put("Balcony", 100L);
        assertProblem(asAdmin().body(liveTerms(sales, extra, null)).post("/api/admin/venues/" + venueId + "/sales")
                .then(), 400, "invalid-request").body("detail", containsString("Balcony"));
        assertProblem(asAdmin().body(liveTerms(sales, PRICES, 11)).post("/api/admin/venues/" + venueId + "/sales")
                .then(), 400, "invalid-request").body("errors[0].field", equalTo("seatLimit"));
        assertProblem(asAdmin().body(liveTerms(sales, Map.of("Stalls", -1L, "Circle", 1L), null))
                .post("/api/admin/venues/" + venueId + "/sales").then(), 400, "invalid-request");
        Map<String, Object> noTitle = liveTerms(sales, PRICES, null);
        noTitle.remove("title");
        assertProblem(asAdmin().body(noTitle).post("/api/admin/venues/" + venueId + "/sales").then(), 400, "invalid-request");
        Map<String, Long> afterProducts = counts();
        assertProblem(asAdmin().body(liveTerms(sales, PRICES, null)).post("/api/admin/venues/999999999/sales").then(), 404, "not-found");

        // liveTerms makes a product each time; nothing else moved.
        before.put("products", afterProducts.get("products"));
        Map<String, Long> after = counts();
        after.put("products", afterProducts.get("products"));
        assertEquals(before, after);
    }

    @Test
    void badPicksAreRefusedAndWriteNothing() {
        long saleId = liveSale(admin, sales, stallsAndCircle(), PRICES, null);
        long otherSale = liveSale(admin, sales, stallsAndCircle(), PRICES, null);
        List<Long> ids = seatIds(saleId);
        List<Long> otherIds = seatIds(otherSale);
        TestUser shopper = users.shopper();
        as(shopper).body(Map.of("seats", List.of(ids.get(0), ids.get(1)))).post("/api/sales/" + saleId + "/seats/pick")
                .then().statusCode(202);
        long unitSale = sales.live(10, 2);
        String redisBefore = stores.snapshot(saleId);
        Map<String, Long> before = counts();
        String pick = "/api/sales/" + saleId + "/seats/pick";

        assertProblem(as(shopper).body(Map.of("seats", List.of(999_999_999L))).post(pick).then(), 400, "invalid-request")
                .body("detail", containsString("999999999"));
        assertProblem(as(shopper).body(Map.of("seats", List.of(ids.get(5), ids.get(5)))).post(pick).then(), 400, "invalid-request")
                .body("detail", containsString("more than once"));
        assertProblem(as(shopper).body(Map.of("seats", List.of(otherIds.get(5)))).post(pick).then(), 400, "invalid-request")
                .body("detail", containsString(String.valueOf(otherIds.get(5))));
        assertProblem(as(shopper).body(Map.of("seats", List.of(ids.get(5), ids.get(6), ids.get(7)))).post(pick).then(), 409,
                "limit-reached").body("limit", equalTo(4));
        assertProblem(as(shopper).body(Map.of("seats", List.of())).post(pick).then(), 400, "invalid-request");
        assertProblem(as(shopper).body(Map.of("seats", List.of(ids.get(5)), "area", "Stalls", "count", 1)).post(pick).then(), 400,
                "invalid-request");
        assertProblem(as(shopper).body(Map.of("area", "Balcony", "count", 1)).post(pick).then(), 400, "invalid-request")
                .body("detail", containsString("Stalls, Circle"));
        assertProblem(as(shopper).body(Map.of("area", "Circle", "count", 0)).post(pick).then(), 400, "invalid-request");
        assertProblem(as(shopper).body("{\"seats\": [1,").post(pick).then(), 400, "invalid-request");
        assertProblem(as(shopper).body("{\"seats\": [\"x\"]}").post(pick).then(), 400, "invalid-request");
        assertProblem(given().contentType(ContentType.JSON).body(Map.of("seats", List.of(ids.get(5)))).post(pick).then(), 401, "not-authenticated");
        assertProblem(as(shopper).body(Map.of("seats", List.of(ids.get(5)))).post("/api/sales/" + unitSale + "/seats/pick").then(),
                409, "not-seated");

        assertEquals(redisBefore, stores.snapshot(saleId));
        assertEquals("11000000000000", stores.redis().value(String.class).get(new SaleKeys(saleId).seats()));
        assertEquals(before, counts());
    }

    @Test
    void payingAPickChargesItsSeatsPricesAndMarksThemSold() {
        long saleId = liveSale(admin, sales, stallsAndCircle(), PRICES, null);
        List<Long> ids = seatIds(saleId);
        TestUser shopper = users.shopper();
        String orderId = as(shopper).body(Map.of("seats", List.of(ids.get(0), ids.get(13))))
                .post("/api/sales/" + saleId + "/seats/pick").then().statusCode(202).extract().jsonPath().getString("orderId");

        as(shopper).header("Idempotency-Key", "pay-1").body(Map.of("cardNumber", "4242424242424242"))
                .post("/api/orders/" + orderId + "/pay").then().statusCode(200)
                .body("status", equalTo("PAID")).body("amountMinor", equalTo(8000));

        given().get("/api/sales/" + saleId + "/seats/map").then().body("states", equalTo("20000000000002"));
    }

    @Test
    void aRetriedPickWithItsKeyAnswersTheSameOrder() {
        long saleId = liveSale(admin, sales, stallsAndCircle(), PRICES, null);
        List<Long> ids = seatIds(saleId);
        TestUser shopper = users.shopper();
        String first = as(shopper).header("Idempotency-Key", "pick-1").body(Map.of("seats", List.of(ids.get(12), ids.get(13))))
                .post("/api/sales/" + saleId + "/seats/pick").then().statusCode(202).extract().jsonPath().getString("orderId");

        as(shopper).header("Idempotency-Key", "pick-1").body(Map.of("seats", List.of(ids.get(13), ids.get(12))))
                .post("/api/sales/" + saleId + "/seats/pick").then().statusCode(202).body("orderId", equalTo(first))
                .body("seats.position", equalTo(List.of(12, 13)));
        assertProblem(as(shopper).header("Idempotency-Key", "pick-1").body(Map.of("seats", List.of(ids.get(1))))
                .post("/api/sales/" + saleId + "/seats/pick").then(), 422, "idempotency-key-reused");
        assertEquals(1, stores.holds(saleId).size());
        List<Object> heldPositions = new ArrayList<>();
        heldPositions.add(stores.redis().hash(String.class).hget(new SaleKeys(saleId).holdSeats(), first));
        assertEquals(List.of("6000|12,13"), heldPositions);
    }
}
