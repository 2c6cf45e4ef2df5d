package io.miaosha.api.testing;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.emptyOrNullString;
import static org.hamcrest.Matchers.startsWith;

import io.restassured.response.ValidatableResponse;

/** The shape every refusal must have: RFC 9457 problem+json with a type, title, status and detail. */
public final class ProblemJson {

    public static final String CONTENT_TYPE = "application/problem+json";
    public static final String TYPE_BASE = "https://miaosha.dev/problems/";

    private ProblemJson() {
    }

    /** A problem with this status; {@code slug} is the last part of our stable type URI, or null for about:blank. */
    public static ValidatableResponse assertProblem(ValidatableResponse response, int status, String slug) {
        return response.statusCode(status)
                .contentType(startsWith(CONTENT_TYPE))
                .body("type", slug == null ? equalTo("about:blank") : equalTo(TYPE_BASE + slug))
                .body("title", not(emptyOrNullString()))
                .body("status", equalTo(status))
                .body("detail", not(emptyOrNullString()))
                .body("$", not(org.hamcrest.Matchers.hasKey("stackTrace")));
    }
}
