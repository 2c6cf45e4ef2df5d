package io.miaosha.api.account;

import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A registered user as stored; the password hash never leaves the account package.
 * {@code emailVerifiedAt}: when the account confirmed its email address, null until it has.
 */
public record Account(long id, String email, String passwordHash, String role, Instant createdAt, Instant emailVerifiedAt) {

    public boolean emailVerified() {
        return emailVerifiedAt != null;
    }

    public AccountView view() {
        return new AccountView(id, email, role, createdAt, emailVerified(), emailVerifiedAt == null ? null : emailVerifiedAt.toString());
    }

    /** What clients see of an account. */
    public record AccountView(long id, String email, String role, Instant createdAt, boolean emailVerified,
            // Text, not an Instant: the OpenAPI schema of an Instant is a reference that cannot be made nullable.
            @Schema(nullable = true, format = "date-time", description = "When the email was confirmed; null until then")
            String emailVerifiedAt) {
    }
}
