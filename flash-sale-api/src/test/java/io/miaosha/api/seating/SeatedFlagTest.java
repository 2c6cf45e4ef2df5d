package io.miaosha.api.seating;

import static io.miaosha.api.seating.SeatedSaleFixture.area;
import static io.miaosha.api.seating.SeatedSaleFixture.gridVenue;
import static io.miaosha.api.seating.SeatedSaleFixture.liveTerms;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import io.miaosha.api.testing.TestSales;
import io.miaosha.api.testing.TestUser;
import io.miaosha.api.testing.TestUsers;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The sale itself says whether it is seated, so the sale page asks for a layout only when there is one. */
@QuarkusTest
class SeatedFlagTest {

    @Inject
    TestUsers users;
    @Inject
    TestSales sales;

    @Test
    void aSeatedSaleSaysSeatedAndAUnitSaleDoesNotInTheListingTheDetailAndTheAdminAnswer() {
        TestUser admin = users.admin();
        long venueId = gridVenue(admin, List.of(area("Stalls", 1, 3)));
        // The listing is capped (200) and the test database is shared: sales that opened long ago sort first.
        Instant longAgo = TestSales.now().minus(Duration.ofDays(3650));
        Map<String, Object> terms = liveTerms(sales, Map.of("Stalls", 4000L), null);
        terms.put("opensAt", longAgo.toString());
        long seated = given().header("Authorization", admin.bearer()).contentType(ContentType.JSON).body(terms)
                .post("/api/admin/venues/" + venueId + "/sales").then().statusCode(201)
                .body("seated", equalTo(true)).extract().jsonPath().getLong("id");
        long units = sales.create(5, 2, longAgo, TestSales.now().plusSeconds(3600), false);

        given().get("/api/sales/" + seated).then().statusCode(200).body("seated", equalTo(true));
        given().get("/api/sales/" + units).then().statusCode(200).body("seated", equalTo(false));
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> given().get("/api/sales").then().statusCode(200)
                .body("id", hasItems((int) seated, (int) units))
                .body("find { it.id == " + seated + " }.seated", equalTo(true))
                .body("find { it.id == " + units + " }.seated", equalTo(false)));
    }
}
