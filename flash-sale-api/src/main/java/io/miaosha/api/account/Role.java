package io.miaosha.api.account;

/** Roles as they appear in the session token's {@code groups} claim and in the users table. */
public final class Role {

    public static final String SHOPPER = "shopper";
    public static final String ADMIN = "admin";

    private Role() {
    }
}
