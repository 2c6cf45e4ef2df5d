package io.miaosha.api.account;

import java.time.Instant;

/** A registered user as stored; the password hash never leaves the account package. */
public record Account(long id, String email, String passwordHash, String role, Instant createdAt) {

    public AccountView view() {
        return new AccountView(id, email, role, createdAt);
    }

    /** What clients see of an account. */
    public record AccountView(long id, String email, String role, Instant createdAt) {
    }
}
