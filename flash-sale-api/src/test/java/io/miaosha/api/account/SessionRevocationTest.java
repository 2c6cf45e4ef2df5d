package io.miaosha.api.account;

import static io.miaosha.api.testing.ProblemJson.assertProblem;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.miaosha.api.testing.Stores;
import io.miaosha.api.testing.TestUser;
import io.miaosha.api.testing.TestUsers;
import io.miaosha.common.events.SessionRevoked;
import io.miaosha.common.session.SessionKeys;
import io.miaosha.testsupport.SessionTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.smallrye.jwt.auth.principal.JWTParser;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Sessions end before their tokens expire: logout, role change, removal; on every instance, since
 * the state is in Redis (test profile: an instance trusts a session check for 2 s).
 */
@QuarkusTest
class SessionRevocationTest {

    @Inject
    TestUsers users;
    @Inject
    Stores stores;
    @Inject
    JWTParser parser;
    @Inject
    io.vertx.mutiny.sqlclient.Pool db;

    /**
     * The session versions these tests bump live in the Redis database that queue-gateway's tests
     * share, whose made-up user ids overlap ours: dropped after each test so no gateway test finds
     * its shopper's sessions ended.
     */
    @org.junit.jupiter.api.AfterEach
    void dropBumpedSessionVersions() {
        var keys = stores.redis().key().keys("{user:*}:session:version");
        if (!keys.isEmpty()) {
            stores.redis().key().del(keys.toArray(String[]::new));
        }
    }

    @Test
    void logoutEndsThatTokenOnlyAndRedisKeepsTheRevocationForTheTokensLifetime() throws Exception {
        TestUser user = users.shopper();
        String first = logIn(user.email());
        String second = logIn(user.email());
        me(first).statusCode(200);

        given().header("Authorization", "Bearer " + first).post("/api/auth/logout").then().statusCode(204);

        assertProblem(me(first), 401, "not-authenticated");
        me(second).statusCode(200);
        String jti = parser.parse(first).getTokenID();
        long ttl = stores.redis().key().pttl(new SessionKeys(user.id()).revoked(jti));
        assertTrue(ttl > Duration.ofHours(11).toMillis() && ttl <= Duration.ofHours(12).plusSeconds(5).toMillis(),
                "kept as long as the token would live: " + ttl);
        assertProblem(given().header("Authorization", "Bearer " + first).post("/api/auth/logout").then(), 401, "not-authenticated");
    }

    @Test
    void logoutWithoutATokenIs401() {
        assertProblem(given().post("/api/auth/logout").then(), 401, "not-authenticated");
    }

    @Test
    void aLogoutAnnouncedByAnotherInstanceEndsATokenThisInstanceTrustsAtOnce() {
        TestUser user = users.shopper();
        String token = logIn(user.email());
        me(token).statusCode(200); // now trusted here for the re-check bound

        String jti = jti(token);
        // What another instance's SessionRevocations writes and announces on a logout there.
        stores.redis().value(String.class).psetex(new SessionKeys(user.id()).revoked(jti), 60_000, "1");
        stores.redis().pubsub(String.class).publish(SessionRevoked.CHANNEL, new SessionRevoked(user.id()).encode());

        await().atMost(Duration.ofMillis(1500)).pollInterval(Duration.ofMillis(50))
                .until(() -> me(token).extract().statusCode() == 401);
    }

    @Test
    void withoutTheAnnouncementARevocationInRedisTakesEffectWithinTheRecheckBound() {
        TestUser user = users.shopper();
        String token = logIn(user.email());
        me(token).statusCode(200);

        long bumpedAt = System.nanoTime();
        stores.redis().value(String.class).incr(new SessionKeys(user.id()).version()); // no PUBLISH: the message was lost

        await().atMost(Duration.ofSeconds(4)).pollInterval(Duration.ofMillis(100))
                .until(() -> me(token).extract().statusCode() == 401);
        assertTrue(Duration.ofNanos(System.nanoTime() - bumpedAt).toMillis() <= 3500, "within the 2 s re-check bound");
    }

    @Test
    void aRoleChangeEndsTheOldRolesSessionsAndTheNextLogInCarriesTheNewRole() {
        TestUser admin = users.admin();
        TestUser user = users.shopper();
        String shopperToken = logIn(user.email());
        me(shopperToken).statusCode(200);

        given().header("Authorization", admin.bearer()).contentType(ContentType.JSON).body(Map.of("role", "admin"))
                .put("/api/admin/users/" + user.id() + "/role")
                .then().statusCode(200).body("role", equalTo("admin")).body("id", equalTo((int) user.id()));

        assertEquals("admin", role(user.id()));
        assertProblem(me(shopperToken), 401, "not-authenticated");
        String adminToken = logIn(user.email());
        me(adminToken).statusCode(200).body("role", equalTo("admin"));
        given().header("Authorization", "Bearer " + adminToken).get("/api/admin/parked").then().statusCode(200);
    }

    @Test
    void aDemotedAdminsTokenStopsOpeningAdminEndpoints() {
        TestUser admin = users.admin();
        TestUser other = users.admin();
        given().header("Authorization", other.bearer()).get("/api/admin/parked").then().statusCode(200);

        given().header("Authorization", admin.bearer()).contentType(ContentType.JSON).body(Map.of("role", "shopper"))
                .put("/api/admin/users/" + other.id() + "/role").then().statusCode(200);

        assertProblem(given().header("Authorization", other.bearer()).get("/api/admin/parked").then(), 401, "not-authenticated");
    }

    @Test
    void removingAnAccountDeletesItAndEndsItsSessions() {
        TestUser admin = users.admin();
        TestUser user = users.shopper();
        me(user.token()).statusCode(200);

        given().header("Authorization", admin.bearer()).delete("/api/admin/users/" + user.id()).then().statusCode(204);

        assertEquals(0, stores.count("SELECT COUNT(*) FROM users WHERE id = ?", user.id()));
        assertProblem(me(user.token()), 401, "not-authenticated");
        assertEquals("1", stores.redis().value(String.class).get(new SessionKeys(user.id()).version()));
        assertProblem(given().header("Authorization", admin.bearer()).delete("/api/admin/users/" + user.id()).then(),
                404, "not-found");
    }

    @Test
    void onlyAdminsChangeRolesAndBadInputIsRefused() {
        TestUser admin = users.admin();
        TestUser shopper = users.shopper();
        assertProblem(given().header("Authorization", shopper.bearer()).delete("/api/admin/users/" + admin.id()).then(),
                403, "forbidden");
        assertProblem(given().header("Authorization", admin.bearer()).contentType(ContentType.JSON)
                .body(Map.of("role", "root")).put("/api/admin/users/" + shopper.id() + "/role").then(), 400, "invalid-request");
        for (String id : new String[] {"0", "-3", "03", "+3", "abc", "99999999999999999999"}) {
            assertProblem(given().header("Authorization", admin.bearer()).delete("/api/admin/users/" + id).then(),
                    400, "invalid-request");
        }
        assertProblem(given().header("Authorization", admin.bearer()).contentType(ContentType.JSON)
                .body(Map.of("role", "admin")).put("/api/admin/users/999999999/role").then(), 404, "not-found");
        assertEquals("shopper", role(shopper.id()));
        assertEquals(1, stores.count("SELECT COUNT(*) FROM users WHERE id = ?", admin.id()));
    }

    @Test
    void aValidlySignedTokenForAUserWhoDoesNotExistIs401() {
        String token = SessionTokens.dev().session(987_654_321_000L, "ghost@test.miaosha.dev", "shopper");
        assertProblem(me(token), 401, "not-authenticated");
        assertProblem(given().header("Authorization", "Bearer " + token).contentType(ContentType.JSON)
                .body(Map.of("quantity", 1)).post("/api/sales/1/purchase").then(), 401, "not-authenticated");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-5", "+5", "05", "abc", "5.0", "١٢", "99999999999999999999", ""})
    void aValidlySignedTokenWhoseSubjectIsNotAUserIdIs401(String subject) {
        String token = SessionTokens.dev().claims().subject(subject).upn("odd@test.miaosha.dev").groups("admin")
                .expiresAt(Instant.now().plusSeconds(600)).sign();
        assertProblem(me(token), 401, "not-authenticated");
        assertProblem(given().header("Authorization", "Bearer " + token).get("/api/admin/parked").then(), 401, "not-authenticated");
    }

    @Test
    void aTokenClaimingAnotherRoleThanTheUsersIs401() {
        TestUser shopper = users.shopper();
        String claimsAdmin = SessionTokens.dev().session(shopper.id(), shopper.email(), "admin");
        assertProblem(given().header("Authorization", "Bearer " + claimsAdmin).get("/api/admin/parked").then(), 401, "not-authenticated");
    }

    @Test
    void clockLeewayIsAFewSeconds() {
        TestUser user = users.shopper();
        Instant now = Instant.now();
        String expiredTenSecondsAgo = SessionTokens.dev().claims().subject(Long.toString(user.id())).upn(user.email())
                .groups("shopper").issuedAt(now.minusSeconds(600)).expiresAt(now.minusSeconds(10)).sign();
        assertProblem(me(expiredTenSecondsAgo), 401, "not-authenticated");
    }

    private String role(long userId) {
        var rows = db.preparedQuery("SELECT role FROM users WHERE id = ?").execute(io.vertx.mutiny.sqlclient.Tuple.of(userId))
                .await().atMost(Duration.ofSeconds(5));
        return rows.iterator().hasNext() ? rows.iterator().next().getString(0) : null;
    }

    private String jti(String token) {
        try {
            return parser.parse(token).getTokenID();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static ValidatableResponse me(String token) {
        return given().header("Authorization", "Bearer " + token).get("/api/me").then();
    }

    private static String logIn(String email) {
        return given().contentType(ContentType.JSON).body(Map.of("email", email, "password", TestUsers.PASSWORD))
                .post("/api/auth/login").then().statusCode(200).extract().path("token");
    }
}
