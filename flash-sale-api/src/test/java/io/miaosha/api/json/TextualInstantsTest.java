package io.miaosha.api.json;

import static io.miaosha.api.testing.ProblemJson.assertProblem;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.miaosha.api.testing.StoreDigest;
import io.miaosha.api.testing.TestSales;
import io.miaosha.api.testing.TestUsers;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/** A sale's opening and closing times are ISO-8601 texts: a number is a 400 and creates no sale. */
@QuarkusTest
class TextualInstantsTest {

    @Inject
    TestUsers users;
    @Inject
    TestSales sales;
    @Inject
    StoreDigest stores;

    private String terms(String opensAt, String closesAt) {
        return "{\"productId\":" + sales.product() + ",\"title\":\"T\",\"priceMinor\":100,\"currency\":\"EUR\",\"stock\":5,"
                + "\"opensAt\":" + opensAt + ",\"closesAt\":" + closesAt + ",\"perUserLimit\":1,\"queueCapacity\":10}";
    }

    @Test
    void anInstantGivenAsANumberIsRefusedAndCreatesNoSale() {
        String admin = users.admin().bearer();
        for (String body : new String[] {terms("1924942400", "\"2031-01-01T11:00:00Z\""),
                terms("\"2031-01-01T10:00:00Z\"", "1.9249428E9")}) {
            String requestBody = body;
            var before = stores.take().tables();
            assertProblem(given().header("Authorization", admin).contentType(ContentType.JSON).body(requestBody)
                    .post("/api/admin/sales").then(), 400, "invalid-request")
                    .body("detail", containsString("ISO-8601"));
            assertEquals(before, stores.take().tables());
        }
    }

    @Test
    void anInstantGivenAsTextIsStillRead() {
        given().header("Authorization", users.admin().bearer()).contentType(ContentType.JSON)
                .body(terms("\"2031-01-01T10:00:00Z\"", "\"2031-01-01T11:00:00.250Z\"")).post("/api/admin/sales")
                .then().statusCode(201);
    }
}
