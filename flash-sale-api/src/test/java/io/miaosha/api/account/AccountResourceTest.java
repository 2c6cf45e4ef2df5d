package io.miaosha.api.account;

import static io.miaosha.api.testing.ProblemJson.assertProblem;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.emptyOrNullString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.miaosha.api.testing.Stores;
import io.miaosha.api.testing.TestUser;
import io.miaosha.api.testing.TestUsers;
import io.miaosha.testsupport.SessionTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@QuarkusTest
class AccountResourceTest {

    @Inject
    TestUsers users;
    @Inject
    Stores stores;
    @Inject
    io.vertx.mutiny.sqlclient.Pool db;

    @Test
    void signUpCreatesAShopperWithANormalisedEmailAndABcryptHash() {
        String local = "Mixed-" + UUID.randomUUID();
        String raw = "  " + local + "@Example.COM ";
        String email = (local + "@example.com").toLowerCase();

        signUp(raw, "long-enough-1")
                .statusCode(201)
                .header("Location", org.hamcrest.Matchers.endsWith("/api/me"))
                .body("email", equalTo(email))
                .body("role", equalTo("shopper"))
                .body("id", org.hamcrest.Matchers.greaterThan(0))
                .body("$", not(org.hamcrest.Matchers.hasKey("passwordHash")));

        var row = db.preparedQuery("SELECT password_hash, role FROM users WHERE email = ?")
                .execute(io.vertx.mutiny.sqlclient.Tuple.of(email)).await().atMost(Duration.ofSeconds(5))
                .iterator().next();
        assertTrue(row.getString(0).startsWith("$2"), "stored as bcrypt");
        assertNotEquals("long-enough-1", row.getString(0));
        assertEquals("shopper", row.getString(1));
    }

    @Test
    void signingUpTwiceWithTheSameEmailInAnotherCaseIsAConflictAndAddsNoRow() {
        String email = TestUsers.uniqueEmail();
        signUp(email, "long-enough-1").statusCode(201);

        assertProblem(signUp(email.toUpperCase(), "another-password"), 409, "email-taken");

        assertEquals(1, stores.count("SELECT COUNT(*) FROM users WHERE email = ?", email));
    }

    @Test
    void passwordShorterThanEightCharactersIsRefusedAndWritesNothing() {
        String email = TestUsers.uniqueEmail();

        assertProblem(signUp(email, "1234567"), 400, "invalid-request")
                .body("errors[0].field", equalTo("password"));

        assertEquals(0, stores.count("SELECT COUNT(*) FROM users WHERE email = ?", email));
    }

    @Test
    void passwordLongerThanBcryptCanHoldIsRefused() {
        String email = TestUsers.uniqueEmail();

        assertProblem(signUp(email, "x".repeat(73)), 400, "invalid-request");

        assertEquals(0, stores.count("SELECT COUNT(*) FROM users WHERE email = ?", email));
    }

    @Test
    void passwordOfMoreThan72BytesIsRefusedSayingSoEvenWhenItHasFewerCharacters() {
        String email = TestUsers.uniqueEmail();
        String accented = "é".repeat(40); // 40 characters, 80 bytes: bcrypt would ignore the last 8

        assertProblem(signUp(email, accented), 400, "invalid-request")
                .body("detail", org.hamcrest.Matchers.containsString("72 bytes"))
                .body("detail", org.hamcrest.Matchers.containsString("this one is 80"))
                .body("errors[0].field", equalTo("password"));

        assertEquals(0, stores.count("SELECT COUNT(*) FROM users WHERE email = ?", email));
    }

    @Test
    void passwordOfExactly72BytesWorksAndItsLastByteCounts() {
        String email = TestUsers.uniqueEmail();
        String password = "é".repeat(35) + "ab"; // 72 bytes

        signUp(email, password).statusCode(201);

        logIn(email, password).statusCode(200);
        assertProblem(logIn(email, "é".repeat(35) + "ax"), 401, "bad-credentials");
    }

    @Test
    void fullWidthSpellingOfAnAddressIsTheSameAccount() {
        String local = "wide" + UUID.randomUUID().toString().substring(0, 8);
        String email = local + "@example.com";
        StringBuilder wide = new StringBuilder();
        (local + "@example.com").chars().forEach(c -> wide.appendCodePoint(c >= '!' && c <= '~' ? c + 0xFEE0 : c));

        signUp(email, "long-enough-1").statusCode(201);
        assertProblem(signUp(wide.toString(), "another-password"), 409, "email-taken");
        logIn(wide.toString(), "long-enough-1").statusCode(200).body("account.email", equalTo(email));

        assertEquals(1, stores.count("SELECT COUNT(*) FROM users WHERE email = ?", email));
    }

    @Test
    void unicodeDomainIsStoredAsPunycodeAndEitherSpellingLogsIn() {
        String local = "idn-" + UUID.randomUUID();
        signUp(local + "@Bücher.example", "long-enough-1").statusCode(201)
                .body("email", equalTo(local + "@xn--bcher-kva.example"));

        logIn(local + "@xn--bcher-kva.example", "long-enough-1").statusCode(200);
        assertEquals(1, stores.count("SELECT COUNT(*) FROM users WHERE email = ?", local + "@xn--bcher-kva.example"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"zero\u200Bwidth", "bidi\u202Eoverride", "soft\u00ADhyphen", "bell\u0007"})
    void addressWithAnInvisibleCharacterIsRefusedAndWritesNothing(String local) {
        String email = local + "-" + UUID.randomUUID() + "@example.com";
        long before = stores.count("SELECT COUNT(*) FROM users");

        assertProblem(signUp(email, "long-enough-1"), 400, "invalid-request")
                .body("detail", org.hamcrest.Matchers.containsString("invisible or control character"));

        assertEquals(before, stores.count("SELECT COUNT(*) FROM users"));
    }

    @Test
    void theUniqueKeyComparesTheNormalisedAddressExactly() {
        String email = TestUsers.uniqueEmail();
        signUp(email, "long-enough-1").statusCode(201);

        // Written straight to MySQL (as a bug or an old row might): under a case-insensitive key this would collide.
        db.preparedQuery("INSERT INTO users (email, password_hash, role) VALUES (?, 'x', 'shopper')")
                .execute(io.vertx.mutiny.sqlclient.Tuple.of(email.toUpperCase())).await().atMost(Duration.ofSeconds(5));

        assertEquals(1, stores.count("SELECT COUNT(*) FROM users WHERE email = ?", email));
        logIn(email, "long-enough-1").statusCode(200).body("account.email", equalTo(email));
    }

    @ParameterizedTest
    @ValueSource(strings = {"not-an-email", "two@@example.com", "no-domain@", "@example.com", "spa ce@example.com",
            "dotless@localhost", "", "look-alike@ex\u0430mple.com"})
    void malformedEmailIsRefusedAndWritesNothing(String email) {
        long before = stores.count("SELECT COUNT(*) FROM users");

        assertProblem(signUp(email, "long-enough-1"), 400, "invalid-request");

        assertEquals(before, stores.count("SELECT COUNT(*) FROM users"));
    }

    @Test
    void logInAnswersASessionTokenThatOpensMe() {
        String email = TestUsers.uniqueEmail();
        signUp(email, "long-enough-1").statusCode(201);

        String token = logIn(" " + email.toUpperCase(), "long-enough-1")
                .statusCode(200)
                .body("token", not(emptyOrNullString()))
                .body("expiresAt", not(emptyOrNullString()))
                .body("account.email", equalTo(email))
                .extract().path("token");

        given().header("Authorization", "Bearer " + token).get("/api/me")
                .then().statusCode(200).body("email", equalTo(email)).body("role", equalTo("shopper"));
    }

    @Test
    void wrongPasswordAndUnknownEmailGetTheSame401() {
        TestUser user = users.shopper();

        Map<String, Object> wrongPassword = assertProblem(logIn(user.email(), "not-the-password"), 401, "bad-credentials")
                .extract().as(Map.class);
        Map<String, Object> unknownEmail = assertProblem(logIn(TestUsers.uniqueEmail(), TestUsers.PASSWORD), 401, "bad-credentials")
                .extract().as(Map.class);

        assertEquals(wrongPassword, unknownEmail);
    }

    @Test
    void meAnswersTheCallersAccount() {
        TestUser user = users.admin();

        given().header("Authorization", user.bearer()).get("/api/me")
                .then().statusCode(200)
                .body("id", equalTo((int) user.id()))
                .body("email", equalTo(user.email()))
                .body("role", equalTo("admin"))
                .body("$", not(org.hamcrest.Matchers.hasKey("passwordHash")));
    }

    @Test
    void meWithoutATokenIsRefused() {
        assertProblem(given().get("/api/me").then(), 401, "not-authenticated");
    }

    @Test
    void meWithABrokenTokenIsRefused() {
        TestUser user = users.shopper();
        for (String token : new String[] {
                SessionTokens.dev().expired(user.id(), user.email(), "shopper"),
                SessionTokens.forged(user.id(), user.email(), "shopper"),
                SessionTokens.algNone(user.id(), user.email(), "shopper"),
                SessionTokens.dev().tampered(user.id(), user.email()),
                "not.a.jwt",
                "garbage"}) {
            assertProblem(given().header("Authorization", "Bearer " + token).get("/api/me").then(), 401, "not-authenticated");
        }
        assertProblem(given().header("Authorization", "Basic dXNlcjpwYXNz").get("/api/me").then(), 401, "not-authenticated");
    }

    private static ValidatableResponse signUp(String email, String password) {
        return given().contentType(ContentType.JSON).body(Map.of("email", email, "password", password))
                .post("/api/auth/signup").then();
    }

    private static ValidatableResponse logIn(String email, String password) {
        return given().contentType(ContentType.JSON).body(Map.of("email", email, "password", password))
                .post("/api/auth/login").then();
    }
}
