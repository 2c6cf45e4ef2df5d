package io.miaosha.api.seating;

import static io.restassured.RestAssured.given;

import io.miaosha.api.testing.TestSales;
import io.miaosha.api.testing.TestUser;
import io.restassured.http.ContentType;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Venues and seated sales made through the admin API, as an admin would. */
final class SeatedSaleFixture {

    private SeatedSaleFixture() {
    }

    /** A grid venue: each area as {name, rows, seatsPerRow}. */
    static long gridVenue(TestUser admin, List<Map<String, Object>> areas) {
        return given().header("Authorization", admin.bearer()).contentType(ContentType.JSON)
                .body(Map.of("name", "Hall " + System.nanoTime(), "areas", areas))
                .post("/api/admin/venues").then().statusCode(201).extract().jsonPath().getLong("id");
    }

    static Map<String, Object> area(String name, int rows, int seatsPerRow) {
        return Map.of("name", name, "rows", rows, "seatsPerRow", seatsPerRow);
    }

    static Map<String, Object> liveTerms(TestSales sales, Map<String, Long> prices, Integer seatLimit) {
        Map<String, Object> terms = new HashMap<>();
        terms.put("productId", sales.product());
        terms.put("title", "Concert " + System.nanoTime());
        terms.put("currency", "EUR");
        terms.put("opensAt", Instant.now().minusSeconds(60).toString());
        terms.put("closesAt", Instant.now().plusSeconds(3600).toString());
        terms.put("areaPrices", prices);
        if (seatLimit != null) {
            terms.put("seatLimit", seatLimit);
        }
        return terms;
    }

    static long liveSale(TestUser admin, TestSales sales, long venueId, Map<String, Long> prices, Integer seatLimit) {
        return given().header("Authorization", admin.bearer()).contentType(ContentType.JSON)
                .body(liveTerms(sales, prices, seatLimit))
                .post("/api/admin/venues/" + venueId + "/sales").then().statusCode(201).extract().jsonPath().getLong("id");
    }

    /** Seat ids by position, from the sale's layout. */
    static List<Long> seatIds(long saleId) {
        return given().get("/api/sales/" + saleId + "/seats").then().statusCode(200).extract().jsonPath()
                .getList("seats.id", Long.class);
    }
}
