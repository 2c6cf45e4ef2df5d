package io.miaosha.api.account;

import static io.miaosha.api.testing.ProblemJson.assertProblem;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.miaosha.api.testing.Stores;
import io.miaosha.api.testing.TestUser;
import io.miaosha.api.testing.TestUsers;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The API's own log-in throttle (test profile: 5 failures per account, 30 per address, 10 s window).
 * Attempts that must fall into one window are sent at once: they are counted as they arrive.
 * Requests come from 127.0.0.1, a trusted proxy, so X-Forwarded-For picks the client address.
 */
@QuarkusTest
class LoginThrottleTest {

    @Inject
    TestUsers users;
    @Inject
    Stores stores;
    @TestHTTPResource("/api/auth/login")
    URI login;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void concurrentGuessesAtOneAccountReachThePasswordCheckAtMostTheLimitAndTheRestGet429() throws Exception {
        TestUser user = users.shopper();
        String address = randomAddress();

        List<HttpResponse<String>> answers = concurrently(20, i -> attempt(user.email(), "wrong-password-" + i, address));

        Map<Integer, Long> byStatus = answers.stream().collect(Collectors.groupingBy(HttpResponse::statusCode, Collectors.counting()));
        assertEquals(Map.of(401, 5L, 429, 15L), byStatus, "5 guesses checked, 15 refused before bcrypt");
        HttpResponse<String> refused = answers.stream().filter(r -> r.statusCode() == 429).findFirst().orElseThrow();
        assertEquals("application/problem+json", refused.headers().firstValue("Content-Type").orElse(""));
        assertTrue(refused.body().contains("\"type\":\"https://miaosha.dev/problems/too-many-logins\""), refused.body());
        long retryAfter = Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow());
        assertTrue(retryAfter >= 1 && retryAfter <= 10, "Retry-After " + retryAfter + " is within the 10 s window");
        assertEquals("20", accountCounter(user.email()), "every attempt was counted in Redis");
    }

    @Test
    void theRightPasswordIsRefusedWhileLockedAndWorksAfterTheWindow() throws Exception {
        TestUser user = users.shopper();
        String address = randomAddress();
        assertTrue(concurrently(5, i -> attempt(user.email(), "wrong-password-" + i, address)).stream()
                .allMatch(r -> r.statusCode() == 401));

        HttpResponse<String> locked = attempt(user.email(), TestUsers.PASSWORD, address);
        assertEquals(429, locked.statusCode(), "a right password inside the window tells nothing: " + locked.body());
        long retryAfter = Long.parseLong(locked.headers().firstValue("Retry-After").orElseThrow());

        Thread.sleep(retryAfter * 1000 + 300);
        HttpResponse<String> after = attempt(user.email(), TestUsers.PASSWORD, address);
        assertEquals(200, after.statusCode(), after.body());
        assertEquals("0", accountCounter(user.email()), "a new window started and its one attempt was taken back");
    }

    @Test
    void aSuccessfulLogInTakesItsAttemptBackSoOnlyFailuresCount() throws Exception {
        TestUser user = users.shopper();
        String address = randomAddress();
        for (int i = 0; i < 8; i++) {
            assertEquals(200, attempt(user.email(), TestUsers.PASSWORD, address).statusCode());
        }
        assertEquals(401, attempt(user.email(), "wrong-password", address).statusCode());

        assertEquals("1", accountCounter(user.email()));
        assertEquals("1", stores.redis().value(String.class).get(LoginThrottle.addressKey(address)));
    }

    @Test
    void oneAddressTryingManyAccountsIsStoppedWhileOtherAddressesAreNot() throws Exception {
        String address = randomAddress();

        List<HttpResponse<String>> answers = concurrently(36, i -> attempt(TestUsers.uniqueEmail(), "guessed-password-" + i, address));

        assertEquals(30, answers.stream().filter(r -> r.statusCode() == 401).count(), "unknown emails count like known ones");
        assertEquals(6, answers.stream().filter(r -> r.statusCode() == 429).count());
        TestUser user = users.shopper();
        assertEquals(429, attempt(user.email(), TestUsers.PASSWORD, address).statusCode());
        assertEquals(200, attempt(user.email(), TestUsers.PASSWORD, randomAddress()).statusCode());
    }

    @Test
    void aClientCannotChooseItsAddressByPrependingToXForwardedFor() throws Exception {
        String address = randomAddress();
        List<String> claimed = new ArrayList<>();
        List<HttpResponse<String>> answers = concurrently(30, i -> {
            String spoofed = randomAddress();
            synchronized (claimed) {
                claimed.add(spoofed);
            }
            return attempt(TestUsers.uniqueEmail(), "guessed-password", spoofed + ", " + address); // the proxy appended the real one
        });

        assertTrue(answers.stream().allMatch(r -> r.statusCode() == 401));
        assertEquals("30", stores.redis().value(String.class).get(LoginThrottle.addressKey(address)), "all counted as the real address");
        for (String spoofed : claimed) {
            assertEquals(null, stores.redis().value(String.class).get(LoginThrottle.addressKey(spoofed)), spoofed);
        }
        assertEquals(429, attempt(TestUsers.uniqueEmail(), "guessed-password", randomAddress() + ", " + address).statusCode());
    }

    @Test
    void refusedBodiesAreNotCounted() {
        TestUser user = users.shopper();
        for (int i = 0; i < 10; i++) {
            given().contentType(ContentType.JSON).body(Map.of("email", user.email(), "password", "short"))
                    .post("/api/auth/login").then().statusCode(400);
        }
        logIn(user.email(), TestUsers.PASSWORD).statusCode(200).body("account.email", equalTo(user.email()));
        assertEquals("0", accountCounter(user.email()), "only the successful attempt was counted, and taken back");
    }

    @Test
    void aThrottledLogInIsProblemJson() throws Exception {
        TestUser user = users.shopper();
        String address = randomAddress();
        concurrently(5, i -> attempt(user.email(), "wrong-password-" + i, address));
        assertProblem(given().contentType(ContentType.JSON).header("X-Forwarded-For", address)
                .body(Map.of("email", user.email(), "password", TestUsers.PASSWORD)).post("/api/auth/login").then(),
                429, "too-many-logins")
                .header("Retry-After", org.hamcrest.Matchers.matchesPattern("[1-9]|10"))
                .body("retryAfterSeconds", org.hamcrest.Matchers.lessThanOrEqualTo(10));
    }

    private String accountCounter(String email) {
        return stores.redis().value(String.class).get(LoginThrottle.accountKey(EmailAddress.normalise(email)));
    }

    private HttpResponse<String> attempt(String email, String password, String forwardedFor) {
        String body = "{\"email\":\"" + email + "\",\"password\":\"" + password + "\"}";
        HttpRequest request = HttpRequest.newBuilder(login).timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json").header("X-Forwarded-For", forwardedFor)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<HttpResponse<String>> concurrently(int count, java.util.function.IntFunction<HttpResponse<String>> call)
            throws Exception {
        List<CompletableFuture<HttpResponse<String>>> running = new ArrayList<>();
        try (var threads = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < count; i++) {
                int n = i;
                running.add(CompletableFuture.supplyAsync(() -> call.apply(n), threads));
            }
            List<HttpResponse<String>> answers = new ArrayList<>();
            for (CompletableFuture<HttpResponse<String>> answer : running) {
                answers.add(answer.get());
            }
            return answers;
        }
    }

    /** A documentation-range address no other test uses, so each test has its own counter. */
    private static String randomAddress() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return "198.18." + random.nextInt(256) + "." + random.nextInt(1, 255);
    }

    private static ValidatableResponse logIn(String email, String password) {
        return given().contentType(ContentType.JSON).body(Map.of("email", email, "password", password))
                .post("/api/auth/login").then();
    }
}
