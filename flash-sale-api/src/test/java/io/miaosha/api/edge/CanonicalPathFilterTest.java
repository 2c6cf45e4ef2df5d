package io.miaosha.api.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.miaosha.api.account.EmailAddress;
import io.miaosha.api.account.LoginThrottle;
import io.miaosha.api.testing.Stores;
import io.miaosha.api.testing.TestUser;
import io.miaosha.api.testing.TestUsers;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every spelling of a protected path that the HTTP layer would route to it is refused before
 * routing: a limit keyed on the path sees the one canonical spelling or nothing. Sent over a raw
 * socket, so no client library tidies the path first. (A backslash never gets this far: the HTTP
 * server refuses such a request line itself, with a bare 400; the edge answers it as problem+json.)
 */
@QuarkusTest
class CanonicalPathFilterTest {

    @TestHTTPResource("/")
    URI base;
    @Inject
    TestUsers users;
    @Inject
    Stores stores;

    @ParameterizedTest
    @ValueSource(strings = {"/api/auth/login/", "/api/auth/login;x=1", "/api/auth/login/.", "/api/auth/./login",
            "/api/x/../auth/login", "/api//auth/login", "/api/auth/%6cogin", "/api/auth/login%2f", "/api/auth%2flogin",
            "/api/auth/login%2e", "/API/auth/login", "/api%2fauth/login", "/api;/auth/login", "/api/auth/%2e/login",
            "/api/auth/login/%2e", "/api/auth/login%3bx=1"})
    void aNonCanonicalSpellingOfTheLogInPathIsRefusedAndCountsNoAttempt(String path) throws Exception {
        TestUser user = users.shopper();
        String body = "{\"email\":\"" + user.email() + "\",\"password\":\"wrong-password\"}";

        String answer = raw("POST " + path + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
                + body.length() + "\r\nConnection: close\r\n\r\n" + body);

        assertTrue(answer.startsWith("HTTP/1.1 400"), path + " -> " + answer);
        assertTrue(answer.toLowerCase().contains("content-type: application/problem+json"), answer);
        assertTrue(answer.contains("\"type\":\"https://miaosha.dev/problems/non-canonical-path\""), answer);
        assertNull(stores.redis().value(String.class).get(LoginThrottle.accountKey(EmailAddress.normalise(user.email()))),
                "no log-in attempt was counted for " + path);
    }

    @Test
    void aNonCanonicalPurchasePathIsRefusedBeforeAuthentication() throws Exception {
        for (String path : new String[] {"/api/sales/1/purchase/", "/api/sales/1/purchase;a=b", "/api/sales/%31/purchase",
                "/api/sales/1/./purchase"}) {
            String answer = raw("POST " + path + " HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}");
            assertTrue(answer.startsWith("HTTP/1.1 400"), path + " -> " + answer);
        }
    }

    @Test
    void canonicalPathsAndQueryStringsPass() throws Exception {
        String listing = raw("GET /api/sales?x=%20;y HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertTrue(listing.startsWith("HTTP/1.1 200"), listing);
        String health = raw("GET /q/health/ready HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertNotEquals(400, Integer.parseInt(health.substring(9, 12)), "only /api paths are the filter's business");
    }

    @Test
    void whatRoutesElsewhereIsLeftToTheRoutes() {
        assertNull(CanonicalPathFilter.problemWith("/api/sales/12/purchase"));
        assertNull(CanonicalPathFilter.problemWith("/api/orders/0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b/pay"));
        assertNull(CanonicalPathFilter.problemWith("/api/sales/1.5"), "not a dot segment: the route answers it");
        assertNull(CanonicalPathFilter.problemWith("/api/orders/%27%20OR%201%3D1"), "encoding that is needed");
        assertNull(CanonicalPathFilter.problemWith("/apiary"));
        assertNull(CanonicalPathFilter.problemWith("/q/health"));
        assertEquals("ends with a slash", CanonicalPathFilter.problemWith("/api/"));
        assertEquals("contains a ';' parameter", CanonicalPathFilter.problemWith("/api/auth/login;jsessionid=1"));
        assertEquals("percent-encodes a character that needs no encoding, or a slash",
                CanonicalPathFilter.problemWith("/api/auth/log%69n"));
        assertEquals("contains a dot segment", CanonicalPathFilter.problemWith("/api/auth/../auth/login"));
        assertEquals("is not lower-case", CanonicalPathFilter.problemWith("/Api/auth/login"));
    }

    private String raw(String request) throws Exception {
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
