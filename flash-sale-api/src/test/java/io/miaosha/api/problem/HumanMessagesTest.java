package io.miaosha.api.problem;

import static io.miaosha.api.testing.ProblemJson.assertProblem;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;

import io.miaosha.api.testing.TestSales;
import io.miaosha.api.testing.TestUsers;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/**
 * Refusals read as a person would say them and name the field, so the web can put them under it:
 * no "must not be null", no Java type names, no Jackson wording.
 */
@QuarkusTest
class HumanMessagesTest {

    @Inject
    TestUsers users;
    @Inject
    TestSales sales;

    private String sale(String priceMinor, String stock) {
        return "{\"productId\":" + sales.product() + ",\"title\":\"T\",\"priceMinor\":" + priceMinor + ",\"currency\":\"EUR\",\"stock\":" + stock
                + ",\"opensAt\":\"2031-01-01T10:00:00Z\",\"closesAt\":\"2031-01-01T11:00:00Z\",\"perUserLimit\":1,\"queueCapacity\":10}";
    }

    @Test
    void aPriceThatIsNotANumberIsNamedWithTheKindOfValueItTakes() {
        assertProblem(given().header("Authorization", users.admin().bearer()).contentType(ContentType.JSON)
                .body(sale("\"abc\"", "5")).post("/api/admin/sales").then(), 400, "invalid-request")
                .body("detail", equalTo("priceMinor must be a whole number, such as 5."))
                .body("errors[0].field", equalTo("priceMinor"))
                .body("errors[0].message", equalTo("must be a whole number, such as 5"));
    }

    @Test
    void aMissingStockIsRequiredNotNull() {
        assertProblem(given().header("Authorization", users.admin().bearer()).contentType(ContentType.JSON)
                .body(sale("100", "null")).post("/api/admin/sales").then(), 400, "invalid-request")
                .body("errors.field", hasItem("stock"))
                .body("detail", equalTo("stock is required"));
    }

    @Test
    void aPurchaseWithoutAQuantitySaysWhatToSend() {
        long saleId = sales.live(5, 1);
        assertProblem(given().header("Authorization", users.shopper().bearer()).contentType(ContentType.JSON)
                .body("{}").post("/api/sales/" + saleId + "/purchase").then(), 400, "invalid-request")
                .body("errors[0].field", equalTo("quantity"))
                .body("errors[0].message", equalTo("is required: say how many to buy, such as 1"))
                .body("detail", not(containsString("null")));
    }

    @Test
    void aLogInWithoutAPasswordIsRequiredNotNull() {
        assertProblem(given().contentType(ContentType.JSON).body("{\"email\":\"x@example.com\"}").post("/api/auth/login").then(), 400, "invalid-request")
                .body("errors[0].field", equalTo("password"))
                .body("errors[0].message", equalTo("is required"));
    }

    @Test
    void aWrongKindOfValueNeverNamesAJavaType() {
        assertProblem(given().contentType(ContentType.JSON).body("{\"email\":[\"x@example.com\"],\"password\":\"long-enough\"}")
                .post("/api/auth/signup").then(), 400, "invalid-request")
                .body("detail", equalTo("email must be text in quotes."))
                .body("detail", not(containsString("java")));
    }
}
