package io.miaosha.common.email;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;

/**
 * The email job flash-sale-api puts on the SQS email queue when an account asks to confirm its address
 * (at sign-up, and on "send it again"), which the email Lambda renders and sends. {@code kind} tells it
 * from a {@link ConfirmationEmail} on the same queue (whose jobs have no kind). {@code link} is the
 * storefront page that confirms the address, with the single-use token in its fragment; the job is the
 * only place the token exists outside the shopper's mailbox (MySQL keeps its hash).
 */
@RegisterForReflection
public record VerificationEmail(String kind, String recipient, String link, Instant expiresAt) {

    public static final String KIND = "email-verification";

    public VerificationEmail {
        if (!KIND.equals(kind)) {
            throw new IllegalArgumentException("kind must be " + KIND);
        }
        if (recipient == null || !recipient.contains("@")) {
            throw new IllegalArgumentException("recipient must be an email address");
        }
        if (link == null || !(link.startsWith("https://") || link.startsWith("http://"))) {
            throw new IllegalArgumentException("link must be an http(s) address");
        }
        if (expiresAt == null) {
            throw new IllegalArgumentException("expiresAt is required");
        }
    }

    public VerificationEmail(String recipient, String link, Instant expiresAt) {
        this(KIND, recipient, link, expiresAt);
    }
}
