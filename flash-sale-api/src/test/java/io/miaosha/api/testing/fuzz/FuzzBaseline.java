package io.miaosha.api.testing.fuzz;

import static io.restassured.RestAssured.given;

import io.miaosha.api.testing.TestSales;
import io.miaosha.api.testing.TestUser;
import io.miaosha.api.testing.TestUsers;
import io.miaosha.common.text.Digests;
import io.miaosha.testsupport.SessionTokens;
import io.restassured.http.ContentType;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A fresh fixture (a live, armed sale with one unit held by a shopper and its revealed draw, a
 * product, an admin) and, for any documented operation, a request the API accepts: the valid
 * starting point every mutation departs from. Values come from the document's schemas; the few a schema cannot say (a real id, an
 * email that is free, a card the test provider approves) are named here.
 */
public final class FuzzBaseline {

    private static final AtomicLong UNIQUE = new AtomicLong(System.nanoTime());
    public static final String ARMING_KEY = "test-arming-key";

    private static TestUser sharedShopper;
    private static TestUser sharedAdmin;

    private final OpenAPI api;
    private final TestUser shopper;
    private final TestUser admin;
    /** A user of this fixture alone: the one who logs out, or whose role changes, or who is removed. */
    private final TestUser victim;
    private final long saleId;
    private final long productId;
    private final String orderId;
    private final Map<String, Object> sale;
    /** For the venue and seat operations: a venue (one area, "Floor", 2 rows of 5) and a live seated sale on it. */
    private final long venueId;
    private final long seatedSaleId;
    private final long freeSeatId;
    /** The token of an unused verification link of the victim's (only its hash is stored, as the API stores it). */
    private final String verificationToken;

    public FuzzBaseline(OpenAPI api, TestUsers users, TestSales sales, Pool db) {
        this(api, users, sales, db, "");
    }

    /** A fixture for an operation on {@code path}: the venue and seat operations get a seated sale as well. */
    public FuzzBaseline(OpenAPI api, TestUsers users, TestSales sales, Pool db, String path) {
        this.api = api;
        // The same two users for every fixture: limits are per sale, and each fixture has its own sale.
        synchronized (FuzzBaseline.class) {
            if (sharedShopper == null) {
                sharedShopper = users.shopper();
                sharedAdmin = users.admin();
            }
        }
        this.shopper = sharedShopper;
        this.admin = sharedAdmin;
        this.victim = users.shopper();
        byte[] random = new byte[32];
        new java.security.SecureRandom().nextBytes(random);
        this.verificationToken = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        db.preparedQuery("INSERT INTO email_verifications (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)")
                .execute(Tuple.of(Digests.sha256Hex(verificationToken), victim.id(), TestSales.utc(Instant.now()),
                        TestSales.utc(Instant.now().plusSeconds(3600))))
                .await().atMost(Duration.ofSeconds(10));
        this.saleId = sales.live(10, 5);
        this.productId = sales.product();
        this.orderId = given().header("Authorization", shopper.bearer()).header("Idempotency-Key", "fixture-" + UNIQUE.incrementAndGet())
                .contentType(ContentType.JSON).body("{\"quantity\":1}").post("/api/sales/" + saleId + "/purchase")
                .then().statusCode(202).extract().path("orderId");
        this.sale = given().get("/api/sales/" + saleId).then().statusCode(200).extract().jsonPath().getMap("$");
        // The draw its early shoppers entered, revealed now that it is open (GET /api/sales/{id}/draw).
        sales.withRevealedDraw(saleId);
        // The order row the worker would write (no worker runs here), so the order can be read back.
        db.preparedQuery("""
                        INSERT INTO orders (id, sale_id, user_id, quantity, unit_price_minor, total_minor, currency, status,
                                            pay_by, created_at)
                        VALUES (?, ?, ?, 1, 1999, 1999, 'EUR', 'PENDING_PAYMENT', ?, ?)""")
                .execute(Tuple.from(List.of(orderId, saleId, shopper.id(), TestSales.utc(Instant.now().plusSeconds(300)),
                        TestSales.utc(Instant.now()))))
                .await().atMost(Duration.ofSeconds(10));
        if (path.contains("/venues") || path.contains("/seats")) {
            this.venueId = given().header("Authorization", admin.bearer()).contentType(ContentType.JSON)
                    .body(Map.of("name", "Fuzz hall " + UNIQUE.incrementAndGet(),
                            "areas", List.of(Map.of("name", SEATED_AREA, "rows", 2, "seatsPerRow", 5))))
                    .post("/api/admin/venues").then().statusCode(201).extract().jsonPath().getLong("id");
            this.seatedSaleId = given().header("Authorization", admin.bearer()).contentType(ContentType.JSON)
                    .body(Map.of("productId", productId, "title", "Fuzz concert", "currency", "EUR",
                            "opensAt", Instant.now().minusSeconds(60).toString(),
                            "closesAt", Instant.now().plusSeconds(3600).toString(),
                            "areaPrices", Map.of(SEATED_AREA, 1999)))
                    .post("/api/admin/venues/" + venueId + "/sales").then().statusCode(201).extract().jsonPath().getLong("id");
            this.freeSeatId = given().get("/api/sales/" + seatedSaleId + "/seats").then().statusCode(200)
                    .extract().jsonPath().getLong("seats.id[0]");
        } else {
            this.venueId = 0;
            this.seatedSaleId = 0;
            this.freeSeatId = 0;
        }
    }

    private static final String SEATED_AREA = "Floor";

    /** A request to this operation that the API accepts, as the given kind of caller. */
    public Exchange valid(String method, String path, Operation operation, String caller) {
        Exchange exchange = new Exchange(method, path);
        exchange.headers.put("Accept", "application/json");
        switch (caller) {
            // The victim's own: a logout ends its session, a resend counts against its account's limit.
            case "USER" -> exchange.headers.put("Authorization", path.equals("/api/auth/logout")
                    || path.equals("/api/account/verify-email/resend") ? victim.bearer() : shopper.bearer());
            case "ADMIN" -> exchange.headers.put("Authorization", admin.bearer());
            case "ARMING_KEY" -> exchange.headers.put("X-Miaosha-Arming-Key", ARMING_KEY);
            default -> { }
        }
        for (Parameter parameter : operation.getParameters() == null ? List.<Parameter>of() : operation.getParameters()) {
            switch (parameter.getIn()) {
                case "path" -> exchange.pathValues.put(parameter.getName(), pathValue(path));
                case "query" -> queryValue(parameter).ifPresent(value -> exchange.query.add(Map.entry(parameter.getName(), value)));
                case "header" -> {
                    if (parameter.getName().equals("Idempotency-Key")) {
                        exchange.headers.put("Idempotency-Key", "fz-" + UNIQUE.incrementAndGet());
                    }
                }
                default -> { }
            }
        }
        if (operation.getRequestBody() != null && operation.getRequestBody().getContent().get("application/json") != null) {
            Schema<?> schema = Mutations.resolve(api, operation.getRequestBody().getContent().get("application/json").getSchema());
            exchange.fields = new LinkedHashMap<>();
            // A payment names a card (the test provider) or a Stripe PaymentMethod, not both.
            schema.getProperties().forEach((name, property) -> {
                if (!name.equals("paymentMethod")) {
                    exchange.fields.put(name, fieldValue(path, name, Mutations.resolve(api, property)));
                }
            });
            exchange.contentType = "application/json";
        }
        return exchange;
    }

    public long saleId() {
        return saleId;
    }

    /** The fixture's seated sale, 0 when the operation has nothing to do with seats. */
    public long seatedSaleId() {
        return seatedSaleId;
    }

    /** The Redis hash tags of the fixture's sales: the keys a request to this fixture could write. */
    public List<String> redisTags() {
        return seatedSaleId == 0 ? List.of("{sale:" + saleId + "}")
                : List.of("{sale:" + saleId + "}", "{sale:" + seatedSaleId + "}");
    }

    private static Map<String, String> authorizations;

    /**
     * Session tokens an attacker or a broken client sends. Made once per run (a forged token needs a
     * fresh RSA key pair): none of them is valid for anyone, so whose they claim to be does not matter.
     */
    public Map<String, String> authorizations() {
        if (authorizations == null) {
            authorizations = tokens();
        }
        return authorizations;
    }

    private Map<String, String> tokens() {
        Map<String, String> tokens = new LinkedHashMap<>();
        tokens.put("expired", "Bearer " + SessionTokens.dev().expired(shopper.id(), shopper.email(), "shopper"));
        tokens.put("forged", "Bearer " + SessionTokens.forged(admin.id(), admin.email(), "admin"));
        tokens.put("alg none", "Bearer " + SessionTokens.algNone(admin.id(), admin.email(), "admin"));
        tokens.put("tampered", "Bearer " + SessionTokens.dev().tampered(shopper.id(), shopper.email()));
        for (String subject : List.of("abc", "-1", "0", "999999999999", "9223372036854775808", "", " 1")) {
            tokens.put("signed, subject [" + subject + "]", "Bearer " + SessionTokens.dev().claims().subject(subject)
                    .groups("shopper").expiresAt(Instant.now().plusSeconds(3600)).sign());
        }
        tokens.put("signed, no subject", "Bearer " + SessionTokens.dev().claims().upn(shopper.email())
                .groups("shopper").expiresAt(Instant.now().plusSeconds(3600)).sign());
        tokens.put("junk", "Bearer abc");
        tokens.put("three junk parts", "Bearer a.b.c");
        tokens.put("basic", "Basic dXNlcjpwYXNz");
        tokens.put("two spaces", "Bearer  " + shopper.token() + "x");
        return tokens;
    }

    private String pathValue(String path) {
        if (path.startsWith("/api/admin/users/")) {
            return Long.toString(victim.id());
        }
        if (path.startsWith("/api/orders/")) {
            return orderId;
        }
        if (path.startsWith("/api/admin/products/")) {
            return Long.toString(productId);
        }
        if (path.startsWith("/api/admin/venues/")) {
            return Long.toString(venueId);
        }
        if (path.contains("/seats")) {
            return Long.toString(seatedSaleId);
        }
        return Long.toString(saleId);
    }

    private static java.util.Optional<String> queryValue(Parameter parameter) {
        return switch (parameter.getName()) {
            case "lookaheadMinutes" -> java.util.Optional.of("15");
            case "limit" -> java.util.Optional.of("10");
            default -> java.util.Optional.empty();
        };
    }

    /** Raw JSON for one field of a valid body. */
    private String fieldValue(String path, String name, Schema<?> schema) {
        return switch (name) {
            case "email" -> quote(path.endsWith("/login") ? shopper.email() : TestUsers.uniqueEmail());
            case "password" -> quote(TestUsers.PASSWORD);
            case "sku" -> quote("fz-" + UNIQUE.incrementAndGet());
            case "imageUrl" -> quote("https://example.com/tee.png");
            // The update of a live sale keeps its product; a new sale takes the fixture's fresh one.
            case "productId" -> path.startsWith("/api/admin/sales/") ? String.valueOf(((Map<?, ?>) sale.get("product")).get("id"))
                    : Long.toString(productId);
            case "cardNumber" -> quote("4242424242424242");
            case "quantity" -> "1";
            case "token" -> quote(verificationToken);
            case "role" -> quote("shopper");
            // A live sale's price, product and opening cannot change: the update repeats them.
            case "priceMinor" -> sale.get("price") instanceof Map<?, ?> price ? price.get("amountMinor").toString() : "1999";
            case "currency" -> quote("EUR");
            // A grid venue (its other form, a seat list, is left out) and the seated sale's prices per area.
            case "areas" -> "[{\"name\":\"" + SEATED_AREA + "\",\"rows\":2,\"seatsPerRow\":5}]";
            case "areaPrices" -> "{\"" + SEATED_AREA + "\":1999}";
            // A pick names seats (its other form, best available in an area, is left out).
            case "seats" -> path.endsWith("/pick") ? "[" + freeSeatId + "]" : "null";
            case "area", "count" -> "null";
            case "name" -> path.startsWith("/api/admin/venues") ? quote("Fuzz hall " + UNIQUE.incrementAndGet()) : fromSchema(schema);
            case "opensAt", "closesAt", "stock", "perUserLimit", "queueCapacity", "windowSeconds", "holdSeconds", "queueEnabled" ->
                    sale.get(name) instanceof String text ? quote(text) : String.valueOf(sale.get(name));
            default -> fromSchema(schema);
        };
    }

    private static String fromSchema(Schema<?> schema) {
        String type = schema == null ? "string" : schema.getType();
        if ("integer".equals(type) || "number".equals(type)) {
            BigDecimal minimum = schema.getMinimum();
            return minimum == null ? "1" : minimum.max(BigDecimal.ONE).toPlainString();
        }
        if ("boolean".equals(type)) {
            return "false";
        }
        if ("date-time".equals(schema.getFormat())) {
            return quote("2031-01-01T10:00:00Z");
        }
        return quote("Fuzz");
    }

    private static String quote(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
