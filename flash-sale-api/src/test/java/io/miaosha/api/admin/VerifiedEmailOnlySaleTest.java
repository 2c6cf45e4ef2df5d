package io.miaosha.api.admin;

import static io.miaosha.api.testing.ProblemJson.assertProblem;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.miaosha.api.testing.Stores;
import io.miaosha.api.testing.TestSales;
import io.miaosha.api.testing.TestUser;
import io.miaosha.api.testing.TestUsers;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The admin's "verified email accounts only" switch: stored, shown, armed into Redis, and fixed once the sale is live. */
@QuarkusTest
class VerifiedEmailOnlySaleTest {

    @Inject
    TestUsers users;
    @Inject
    TestSales sales;
    @Inject
    Stores stores;

    private TestUser admin;

    @BeforeEach
    void logInAsAdmin() {
        admin = users.admin();
    }

    @Test
    void theSwitchIsStoredShownAndArmedAndCanBeTurnedOffBeforeOpening() {
        Map<String, Object> body = AdminResourceTest.terms(sales.product(), Instant.now().plusSeconds(3600),
                Instant.now().plusSeconds(7200), 5, 1, 1999);
        body.put("verifiedEmailOnly", true);
        int id = asAdmin().body(body).post("/api/admin/sales").then().statusCode(201)
                .body("verifiedEmailOnly", equalTo(true)).extract().path("id");
        assertEquals(1, stores.count("SELECT COUNT(*) FROM sales WHERE id = ? AND verified_email_only", id));
        given().get("/api/sales/" + id).then().statusCode(200).body("verifiedEmailOnly", equalTo(true));

        asAdminWithoutBody().post("/api/admin/sales/" + id + "/arm").then().statusCode(200);
        assertEquals("1", stores.meta(id).get("verified_only"));

        // Changed before the opening: the update re-arms the terms (a newer version), and the field goes.
        body.put("verifiedEmailOnly", false);
        asAdmin().body(body).put("/api/admin/sales/" + id).then().statusCode(200).body("verifiedEmailOnly", equalTo(false));
        assertEquals(null, stores.meta(id).get("verified_only"));
    }

    @Test
    void aSaleWithoutTheFieldIsOpenToEveryone() {
        Map<String, Object> body = AdminResourceTest.terms(sales.product(), Instant.now().plusSeconds(3600),
                Instant.now().plusSeconds(7200), 5, 1, 1999);
        asAdmin().body(body).post("/api/admin/sales").then().statusCode(201).body("verifiedEmailOnly", equalTo(false));
    }

    @Test
    void aLiveSaleCannotChangeWhoMayBuyAndNothingChanges() {
        Map<String, Object> body = AdminResourceTest.terms(sales.product(), Instant.now().minusSeconds(60),
                Instant.now().plusSeconds(3600), 5, 1, 1999);
        long id = sales.live(5, 1);
        var sale = given().get("/api/sales/" + id).then().statusCode(200).extract().jsonPath();
        body.put("productId", sale.getLong("product.id"));
        body.put("opensAt", sale.getString("opensAt"));
        body.put("closesAt", sale.getString("closesAt"));
        body.put("verifiedEmailOnly", true);

        assertProblem(asAdmin().body(body).put("/api/admin/sales/" + id).then(), 409, "sale-change-rejected");
        assertEquals(0, stores.count("SELECT COUNT(*) FROM sales WHERE id = ? AND verified_email_only", id));
    }

    @Test
    void aSwitchThatIsNotABooleanIsRefusedAndAddsNoSale() {
        Map<String, Object> body = AdminResourceTest.terms(sales.product(), Instant.now().plusSeconds(3600),
                Instant.now().plusSeconds(7200), 5, 1, 1999);
        body.put("verifiedEmailOnly", "yes");
        long before = stores.count("SELECT COUNT(*) FROM sales");
        assertProblem(asAdmin().body(body).post("/api/admin/sales").then(), 400, "invalid-request");
        assertEquals(before, stores.count("SELECT COUNT(*) FROM sales"));
    }

    private RequestSpecification asAdminWithoutBody() {
        return given().header("Authorization", admin.bearer());
    }

    private RequestSpecification asAdmin() {
        return given().header("Authorization", admin.bearer()).contentType(ContentType.JSON);
    }
}
