package io.miaosha.api.account;

import static io.miaosha.api.testing.ProblemJson.assertProblem;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.miaosha.testsupport.ElasticMqResource;
import io.miaosha.api.testing.Stores;
import io.miaosha.api.testing.TestUsers;
import io.miaosha.api.testing.VerificationInbox;
import io.miaosha.common.email.VerificationEmail;
import io.miaosha.common.text.Digests;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Confirming an email address end to end: the link travels through the real email queue (ElasticMQ). */
@QuarkusTest
@QuarkusTestResource(ElasticMqResource.class)
class EmailVerificationTest {

    private static final String PASSWORD = "long-enough-1";

    @Inject
    VerificationInbox inbox;
    @Inject
    Stores stores;
    @Inject
    Pool db;

    @Test
    void theSignUpsLinkConfirmsOnceAndHandsTheLoggedInShopperAVerifiedSession() throws Exception {
        String email = TestUsers.uniqueEmail();
        signUp(email);
        String token = inbox.tokenFor(email);
        String unverified = logIn(email);
        assertFalse(claims(unverified).contains("email_verified"), "a session from before the confirmation says nothing");
        given().header("Authorization", "Bearer " + unverified).get("/api/me").then().statusCode(200).body("emailVerified", equalTo(false));

        String fresh = verify(token, unverified).statusCode(200)
                .body("account.email", equalTo(email))
                .body("account.emailVerified", equalTo(true))
                .body("account.emailVerifiedAt", notNullValue())
                .body("session.account.emailVerified", equalTo(true))
                .extract().path("session.token");
        assertTrue(claims(fresh).contains("\"email_verified\":true"), claims(fresh));
        Row user = user(email);
        assertNotNull(user.getLocalDateTime("email_verified_at"));
        assertEquals(1, stores.count("SELECT COUNT(*) FROM email_verifications WHERE token_hash = ? AND used_at IS NOT NULL",
                Digests.sha256Hex(token)));
        assertTrue(claims(logIn(email)).contains("\"email_verified\":true"), "every later log-in says so too");

        LocalDateTime verifiedAt = user.getLocalDateTime("email_verified_at");
        assertProblem(verify(token, null), 410, "verification-link-used");
        assertEquals(verifiedAt, user(email).getLocalDateTime("email_verified_at"), "a second use changes nothing");
    }

    @Test
    void aLinkOpenedWithoutASessionConfirmsButHandsOutNoSession() throws Exception {
        String email = TestUsers.uniqueEmail();
        signUp(email);
        verify(inbox.tokenFor(email), null).statusCode(200)
                .body("account.emailVerified", equalTo(true))
                .body("$", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasKey("session")));
        assertNotNull(user(email).getLocalDateTime("email_verified_at"));
    }

    @Test
    void theTokenIsNotStoredOnlyItsHash() throws Exception {
        String email = TestUsers.uniqueEmail();
        signUp(email);
        String token = inbox.tokenFor(email);
        long id = user(email).getLong("id");
        assertEquals(0, stores.count("SELECT COUNT(*) FROM email_verifications WHERE token_hash = ?", token));
        assertEquals(1, stores.count("SELECT COUNT(*) FROM email_verifications WHERE user_id = ? AND token_hash = ?", id,
                Digests.sha256Hex(token)));
    }

    @Test
    void anExpiredLinkIsRefusedAndConfirmsNothing() throws Exception {
        String email = TestUsers.uniqueEmail();
        signUp(email);
        String token = inbox.tokenFor(email);
        db.preparedQuery("UPDATE email_verifications SET expires_at = ? WHERE token_hash = ?")
                .execute(Tuple.of(LocalDateTime.now(ZoneOffset.UTC).minusSeconds(1), Digests.sha256Hex(token)))
                .await().atMost(Duration.ofSeconds(5));

        assertProblem(verify(token, logIn(email)), 410, "verification-link-expired");
        assertNull(user(email).getLocalDateTime("email_verified_at"));
        assertEquals(0, stores.count("SELECT COUNT(*) FROM email_verifications WHERE token_hash = ? AND used_at IS NOT NULL",
                Digests.sha256Hex(token)));
    }

    @Test
    void aForgedOrMalformedTokenIsRefusedAndConfirmsNothing() throws Exception {
        String email = TestUsers.uniqueEmail();
        signUp(email);
        String real = inbox.tokenFor(email);
        String session = logIn(email);
        // Same shape as a real one, one character changed: no such link was sent.
        String forged = (real.charAt(0) == 'A' ? "B" : "A") + real.substring(1);
        assertProblem(verify(forged, session), 400, "verification-link-invalid");
        assertProblem(verify("not-a-token", session), 400, "verification-link-invalid");
        assertProblem(given().contentType(ContentType.JSON).body("{}").post("/api/account/verify-email").then(), 400,
                "invalid-request");
        assertNull(user(email).getLocalDateTime("email_verified_at"));
        assertEquals(0, stores.count("SELECT COUNT(*) FROM email_verifications WHERE user_id = ? AND used_at IS NOT NULL",
                user(email).getLong("id")));
    }

    @Test
    void resendingIsLimitedPerAccountAndWindowAndEachNewLinkWorks() throws Exception {
        String email = TestUsers.uniqueEmail();
        signUp(email);
        String session = logIn(email);
        // The sign-up's email counts: two more fit in the default limit of three per hour.
        resend(session).statusCode(202).body("expiresAt", notNullValue());
        resend(session).statusCode(202);
        assertProblem(resend(session), 429, "too-many-verification-emails")
                .header("Retry-After", org.hamcrest.Matchers.matchesPattern("[1-9][0-9]*"));
        long id = user(email).getLong("id");
        assertEquals(3, stores.count("SELECT COUNT(*) FROM email_verifications WHERE user_id = ?", id));

        List<VerificationEmail> jobs = inbox.jobsFor(email, 3, Duration.ofSeconds(20));
        assertEquals(3, jobs.size(), "one job per email sent, none for the refused one");
        verify(VerificationInbox.token(jobs.get(2).link()), session).statusCode(200);
        assertProblem(resend(session), 409, "email-already-verified");
        assertEquals(3, stores.count("SELECT COUNT(*) FROM email_verifications WHERE user_id = ?", id));
    }

    @Test
    void resendingNeedsASession() {
        assertProblem(given().post("/api/account/verify-email/resend").then(), 401, "not-authenticated");
    }

    private static void signUp(String email) {
        given().contentType(ContentType.JSON).body(Map.of("email", email, "password", PASSWORD))
                .post("/api/auth/signup").then().statusCode(201).body("emailVerified", equalTo(false));
    }

    private static String logIn(String email) {
        return given().contentType(ContentType.JSON).body(Map.of("email", email, "password", PASSWORD))
                .post("/api/auth/login").then().statusCode(200).extract().path("token");
    }

    private static ValidatableResponse verify(String token, String session) {
        var request = given().contentType(ContentType.JSON).body(Map.of("token", token));
        if (session != null) {
            request.header("Authorization", "Bearer " + session);
        }
        return request.post("/api/account/verify-email").then();
    }

    private static ValidatableResponse resend(String session) {
        return given().header("Authorization", "Bearer " + session).post("/api/account/verify-email/resend").then();
    }

    private Row user(String email) {
        return db.preparedQuery("SELECT id, email_verified_at FROM users WHERE email = ?").execute(Tuple.of(email))
                .await().atMost(Duration.ofSeconds(5)).iterator().next();
    }

    private static String claims(String jwt) {
        return new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), StandardCharsets.UTF_8);
    }
}
