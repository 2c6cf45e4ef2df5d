package io.miaosha.api.testing;

/** A user that exists in the users table, with a valid session token. */
public record TestUser(long id, String email, String role, String token) {

    public String bearer() {
        return "Bearer " + token;
    }
}
