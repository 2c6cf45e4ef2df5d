package io.miaosha.api.json;

import static io.miaosha.api.testing.ProblemJson.assertProblem;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.miaosha.api.testing.StoreDigest;
import io.miaosha.api.testing.TestUsers;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.config.EncoderConfig;
import io.restassured.config.RestAssuredConfig;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A body in UTF-16, or with a byte-order mark, is a 400 and creates nothing; plain UTF-8 still works. */
@QuarkusTest
class Utf8OnlyJsonTest {

    private static final RestAssuredConfig AS_SENT = RestAssured.config()
            .encoderConfig(EncoderConfig.encoderConfig().appendDefaultContentCharsetToContentTypeIfUndefined(false));

    @Inject
    StoreDigest stores;

    private static String signup() {
        return "{\"email\":\"" + TestUsers.uniqueEmail() + "\",\"password\":\"long-enough-1\"}";
    }

    @Test
    void aBodyWithAByteOrderMarkIsRefusedAndCreatesNoAccount() {
        assertRefused("application/json", ("\uFEFF" + signup()).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aBodyInUtf16IsRefusedAndCreatesNoAccount() {
        assertRefused("application/json", signup().getBytes(StandardCharsets.UTF_16));
        assertRefused("application/json; charset=UTF-16LE", signup().getBytes(StandardCharsets.UTF_16LE));
    }

    @Test
    void aUtf8BodyWithNonAsciiTextIsStillRead() {
        String email = TestUsers.uniqueEmail();
        given().config(AS_SENT).contentType("application/json")
                .body(("{\"email\":\"" + email + "\",\"password\":\"pässwörd-ü\"}").getBytes(StandardCharsets.UTF_8))
                .post("/api/auth/signup").then().statusCode(201);
    }

    /** Signing up writes only MySQL; Redis is left out (the relay and the auto-armer write it meanwhile). */
    private void assertRefused(String contentType, byte[] body) {
        var before = stores.take().tables();
        assertProblem(given().config(AS_SENT).contentType(contentType).body(body).post("/api/auth/signup").then(),
                400, "invalid-request");
        assertEquals(before, stores.take().tables());
    }
}
