package io.miaosha.api.admin;

import static io.miaosha.api.testing.ProblemJson.assertProblem;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.miaosha.api.testing.Stores;
import io.miaosha.api.testing.TestSales;
import io.miaosha.api.testing.TestUser;
import io.miaosha.api.testing.TestUsers;
import io.miaosha.common.sale.SaleKeys;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class AdminResourceTest {

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
    void createdProductIsStoredAndListed() {
        String sku = "tee-" + UUID.randomUUID();

        int id = asAdmin().body(Map.of("sku", sku, "name", "Tee", "description", "Cotton", "imageUrl", "/img/tee.png"))
                .post("/api/admin/products").then().statusCode(201)
                .extract().path("id");

        assertEquals(1, stores.count("SELECT COUNT(*) FROM products WHERE id = ? AND sku = ? AND name = 'Tee'", id, sku));
        asAdmin().get("/api/admin/products").then().statusCode(200).body("sku", hasItem(sku));
    }

    @Test
    void productWithADuplicateSkuIsAConflictAndAddsNoRow() {
        String sku = "tee-" + UUID.randomUUID();
        asAdmin().body(Map.of("sku", sku, "name", "Tee")).post("/api/admin/products").then().statusCode(201);

        assertProblem(asAdmin().body(Map.of("sku", sku, "name", "Other")).post("/api/admin/products").then(), 409, "sale-change-rejected");

        assertEquals(1, stores.count("SELECT COUNT(*) FROM products WHERE sku = ?", sku));
    }

    @Test
    void productUpdateReplacesItsFieldsAndRefusesBadInputOrUnknownIds() {
        String sku = "tee-" + UUID.randomUUID();
        int id = asAdmin().body(Map.of("sku", sku, "name", "Tee")).post("/api/admin/products").then().statusCode(201)
                .extract().path("id");

        asAdmin().body(Map.of("sku", sku, "name", "Better tee", "description", "Organic")).put("/api/admin/products/" + id)
                .then().statusCode(200).body("id", equalTo(id));
        asAdmin().body(Map.of("sku", sku, "name", "Better tee", "description", "Organic")).put("/api/admin/products/" + id)
                .then().statusCode(200);
        assertEquals(1, stores.count("SELECT COUNT(*) FROM products WHERE id = ? AND name = 'Better tee' AND description = 'Organic'", id));

        assertProblem(asAdmin().body(Map.of("sku", sku, "name", " ")).put("/api/admin/products/" + id).then(), 400, "invalid-request");
        assertProblem(asAdmin().body(Map.of("sku", sku, "name", "Ghost")).put("/api/admin/products/987654321").then(), 404, "not-found");
        assertEquals(1, stores.count("SELECT COUNT(*) FROM products WHERE id = ? AND name = 'Better tee'", id));
    }

    @Test
    void productWithAnInvalidSkuOrImageUrlIsRefused() {
        long before = stores.count("SELECT COUNT(*) FROM products");

        assertProblem(asAdmin().body(Map.of("sku", "has space", "name", "Tee")).post("/api/admin/products").then(), 400, "invalid-request");
        assertProblem(asAdmin().body(Map.of("sku", "ok-sku-" + UUID.randomUUID(), "name", "Tee", "imageUrl", "javascript:alert(1)"))
                .post("/api/admin/products").then(), 400, "invalid-request");
        assertProblem(asAdmin().body(Map.of("sku", "ok-sku-" + UUID.randomUUID(), "name", " ")).post("/api/admin/products").then(), 400, "invalid-request");
        // Plain http is mixed content on the https shop, and "//host" is another site: both refused, in words.
        for (String url : new String[] {"http://images.example/tee.png", "//images.example/tee.png", "https://"}) {
            assertProblem(asAdmin().body(Map.of("sku", "ok-sku-" + UUID.randomUUID(), "name", "Tee", "imageUrl", url))
                    .post("/api/admin/products").then(), 400, "invalid-request")
                    .body("errors[0].field", equalTo("imageUrl"))
                    .body("errors[0].message", equalTo("must start with https:// or be a path on this site such as /img/runner.svg"));
        }

        assertEquals(before, stores.count("SELECT COUNT(*) FROM products"));
    }

    @Test
    void createdSaleIsStoredWithDefaultsAndShownAsUpcoming() {
        long productId = sales.product();
        Instant opens = Instant.parse("2031-01-01T10:00:00Z");

        int id = asAdmin().body(terms(productId, opens, opens.plusSeconds(3600), 50, 2, 2500))
                .post("/api/admin/sales").then().statusCode(201)
                .body("status", equalTo("UPCOMING"))
                .body("unitsLeft", equalTo(50))
                .body("windowSeconds", equalTo(600))
                .body("holdSeconds", equalTo(300))
                .extract().path("id");

        assertEquals(1, stores.count("""
                SELECT COUNT(*) FROM sales WHERE id = ? AND product_id = ? AND stock = 50 AND per_user_limit = 2
                AND price_minor = 2500 AND currency = 'EUR' AND opens_at = '2031-01-01 10:00:00' AND window_seconds = 600
                AND hold_seconds = 300 AND NOT cancelled""", id, productId));
        given().get("/api/sales/" + id).then().statusCode(200);
    }

    @Test
    void saleThatClosesBeforeOrWhenItOpensIsRefused() {
        long productId = sales.product();
        Instant opens = Instant.parse("2031-01-01T10:00:00Z");

        assertSaleRefused(terms(productId, opens, opens.minusSeconds(1), 5, 1, 100), 400);
        assertSaleRefused(terms(productId, opens, opens, 5, 1, 100), 400);
    }

    @Test
    void saleWithoutStockOrLimitOrWithAnUnknownProductIsRefused() {
        long productId = sales.product();
        Instant opens = Instant.parse("2031-01-01T10:00:00Z");

        assertSaleRefused(terms(productId, opens, opens.plusSeconds(60), 0, 1, 100), 400);
        assertSaleRefused(terms(productId, opens, opens.plusSeconds(60), -5, 1, 100), 400);
        assertSaleRefused(terms(productId, opens, opens.plusSeconds(60), 5, 0, 100), 400);
        assertSaleRefused(terms(productId, opens, opens.plusSeconds(60), 5, 1, -1), 400);
        assertSaleRefused(terms(999_999_999_999L, opens, opens.plusSeconds(60), 5, 1, 100), 400);
        Map<String, Object> badCurrency = terms(productId, opens, opens.plusSeconds(60), 5, 1, 100);
        badCurrency.put("currency", "eu");
        assertSaleRefused(badCurrency, 400);
    }

    @Test
    void upcomingSaleMayChangeItsPriceAndStock() {
        long id = sales.upcoming(5, 2);
        Map<String, Object> update = termsOf(id);
        update.put("priceMinor", 999);
        update.put("stock", 8);

        asAdmin().body(update).put("/api/admin/sales/" + id).then().statusCode(200)
                .body("price.amountMinor", equalTo(999)).body("stock", equalTo(8));

        assertEquals(1, stores.count("SELECT COUNT(*) FROM sales WHERE id = ? AND price_minor = 999 AND stock = 8", id));
    }

    @Test
    void liveSaleRefusesAPriceChangeAndKeepsItsTerms() {
        long id = sales.live(5, 2);
        Map<String, Object> update = termsOf(id);
        update.put("priceMinor", 1);
        Map<String, Long> before = stores.tableCounts();

        assertProblem(asAdmin().body(update).put("/api/admin/sales/" + id).then(), 409, "sale-change-rejected");

        assertEquals(before, stores.tableCounts());
        assertEquals(1, stores.count("SELECT COUNT(*) FROM sales WHERE id = ? AND price_minor = 1999", id));
    }

    @Test
    void liveArmedSaleRefusesAStockCutBelowWhatIsHeldAndAcceptsARaise() {
        long id = sales.live(5, 3);
        TestUser shopper = users.shopper();
        buy(shopper, id, 3);
        String redisBefore = stores.snapshot(id);
        Map<String, Object> cut = termsOf(id);
        cut.put("stock", 2);

        assertProblem(asAdmin().body(cut).put("/api/admin/sales/" + id).then(), 409, "sale-change-rejected");

        assertEquals(redisBefore, stores.snapshot(id));
        assertEquals(1, stores.count("SELECT COUNT(*) FROM sales WHERE id = ? AND stock = 5", id));

        Map<String, Object> raise = termsOf(id);
        raise.put("stock", 9);
        asAdmin().body(raise).put("/api/admin/sales/" + id).then().statusCode(200)
                .body("stock", equalTo(9)).body("unitsLeft", equalTo(6));
        assertEquals(6, stores.stock(id));
        assertEquals("9", stores.meta(id).get("total"));
    }

    @Test
    void stockCutOnAnUnarmedSaleIsCheckedAgainstRecordedOrders() {
        long id = sales.upcoming(5, 3);
        stores.execute("""
                INSERT INTO orders (id, sale_id, user_id, quantity, unit_price_minor, total_minor, currency, status, pay_by, created_at)
                VALUES (?, ?, 1, 3, 1999, 5997, 'EUR', 'PAID', UTC_TIMESTAMP(3), UTC_TIMESTAMP(3))""",
                io.miaosha.common.order.OrderIds.next(), id);
        Map<String, Object> cut = termsOf(id);
        cut.put("stock", 2);

        assertProblem(asAdmin().body(cut).put("/api/admin/sales/" + id).then(), 409, "sale-change-rejected");

        assertEquals(1, stores.count("SELECT COUNT(*) FROM sales WHERE id = ? AND stock = 5", id));
    }

    @Test
    void updatingAnUnknownSaleIsNotFound() {
        long id = sales.upcoming(5, 2);
        assertProblem(asAdmin().body(termsOf(id)).put("/api/admin/sales/999999999999").then(), 404, "not-found");
    }

    @Test
    void cancelledSaleIsRecordedInBothStoresAndRefusesPurchases() {
        long id = sales.live(5, 2);
        asAdminWithoutBody().post("/api/admin/sales/" + id + "/arm").then().statusCode(200);

        asAdminWithoutBody().post("/api/admin/sales/" + id + "/cancel").then().statusCode(200).body("status", equalTo("CANCELLED"));

        assertEquals(1, stores.count("SELECT COUNT(*) FROM sales WHERE id = ? AND cancelled", id));
        assertEquals("cancelled", stores.meta(id).get("state"));
        assertProblem(given().header("Authorization", users.shopper().bearer()).contentType(ContentType.JSON)
                .body(Map.of("quantity", 1)).post("/api/sales/" + id + "/purchase").then(), 410, "sale-closed");
        assertEquals(5, stores.stock(id));
        assertProblem(asAdmin().body(termsOf(id)).put("/api/admin/sales/" + id).then(), 409, "sale-change-rejected");
    }

    @Test
    void cancellingAnEndedOrUnknownSaleIsRefused() {
        long ended = sales.ended(5, 2);

        assertProblem(asAdminWithoutBody().post("/api/admin/sales/" + ended + "/cancel").then(), 409, "sale-change-rejected");
        assertProblem(asAdminWithoutBody().post("/api/admin/sales/999999999999/cancel").then(), 404, "not-found");

        assertEquals(0, stores.count("SELECT COUNT(*) FROM sales WHERE id = ? AND cancelled", ended));
    }

    @Test
    void armingLoadsTheHotStateOnceAndASecondArmKeepsTheStock() {
        long id = sales.upcoming(7, 2);

        asAdminWithoutBody().post("/api/admin/sales/" + id + "/arm").then().statusCode(200).body("unitsLeft", equalTo(7));

        assertEquals(7, stores.stock(id));
        assertEquals("scheduled", stores.meta(id).get("state"));
        assertEquals("7", stores.meta(id).get("total"));
        assertTrue(stores.redis().set(String.class).sismember(SaleKeys.ARMED_SALES, Long.toString(id)));
        assertEquals(1, stores.count("SELECT COUNT(*) FROM sales WHERE id = ? AND armed_at IS NOT NULL", id));

        stores.redis().value(String.class).set(new SaleKeys(id).stock(), "4");
        asAdminWithoutBody().post("/api/admin/sales/" + id + "/arm").then().statusCode(200).body("unitsLeft", equalTo(4));
        assertEquals(4, stores.stock(id));
    }

    @Test
    void armingAnUnknownSaleIsNotFoundAndArmsNothing() {
        assertProblem(asAdminWithoutBody().post("/api/admin/sales/999999999999/arm").then(), 404, "not-found");
        assertTrue(stores.keys(999_999_999_999L).isEmpty());
    }

    private void assertSaleRefused(Map<String, Object> body, int status) {
        long before = stores.count("SELECT COUNT(*) FROM sales");
        assertProblem(asAdmin().body(body).post("/api/admin/sales").then(), status, "invalid-request");
        assertEquals(before, stores.count("SELECT COUNT(*) FROM sales"));
    }

    /** Cancel and arm take no body; a client sends no Content-Type either. */
    private RequestSpecification asAdminWithoutBody() {
        return given().header("Authorization", admin.bearer());
    }

    private RequestSpecification asAdmin() {
        return given().header("Authorization", admin.bearer()).contentType(ContentType.JSON);
    }

    static Map<String, Object> terms(long productId, Instant opens, Instant closes, int stock, int limit, long price) {
        Map<String, Object> body = new HashMap<>();
        body.put("productId", productId);
        body.put("title", "Drop");
        body.put("priceMinor", price);
        body.put("currency", "EUR");
        body.put("stock", stock);
        body.put("opensAt", opens.toString());
        body.put("closesAt", closes.toString());
        body.put("perUserLimit", limit);
        body.put("queueCapacity", 100);
        return body;
    }

    /** The sale's current terms as an update body. */
    private Map<String, Object> termsOf(long saleId) {
        var sale = given().get("/api/sales/" + saleId).then().statusCode(200).extract().jsonPath();
        Map<String, Object> body = terms(sale.getLong("product.id"), Instant.parse(sale.getString("opensAt")),
                Instant.parse(sale.getString("closesAt")), sale.getInt("stock"), sale.getInt("perUserLimit"),
                sale.getLong("price.amountMinor"));
        body.put("title", sale.getString("title"));
        body.put("windowSeconds", sale.getInt("windowSeconds"));
        body.put("holdSeconds", sale.getInt("holdSeconds"));
        return body;
    }

    private static ValidatableResponse buy(TestUser shopper, long saleId, int quantity) {
        return given().header("Authorization", shopper.bearer()).contentType(ContentType.JSON)
                .body(Map.of("quantity", quantity)).post("/api/sales/" + saleId + "/purchase").then().statusCode(202);
    }
}
