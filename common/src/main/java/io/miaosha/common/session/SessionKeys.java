package io.miaosha.common.session;

/**
 * Redis keys that end session tokens before they expire, shared by every service that verifies a
 * session token (flash-sale-api writes them, flash-sale-api and queue-gateway read them). Both keys
 * of one user carry the user's hash tag, so one MGET reads them on one Redis Cluster shard.
 *
 * <ul>
 *   <li>{@link #version}: integer, the user's session version. A token whose {@value #VERSION_CLAIM}
 *       claim (0 when absent) is lower was issued before a role change, a removal or a "log out
 *       everywhere" and is refused. Expires one session lifetime after the last bump: by then every
 *       older token has expired anyway.</li>
 *   <li>{@link #revoked}: present while one logged-out token would still be valid (TTL = the rest of
 *       its lifetime).</li>
 * </ul>
 * After writing either, the writer publishes a {@link io.miaosha.common.events.SessionRevoked} so every
 * instance drops what it remembers of that user's tokens at once instead of at its next re-check.
 */
public record SessionKeys(long userId) {

    /** The session token claim holding the user's session version at issue time. */
    public static final String VERSION_CLAIM = "sver";

    /**
     * The session token claim saying the account's email was confirmed when the token was issued
     * (true, or absent). Sales for verified accounts only read it; a token issued before the
     * confirmation lacks it, so the confirmation hands out a fresh one.
     */
    public static final String EMAIL_VERIFIED_CLAIM = "email_verified";

    public SessionKeys {
        if (userId <= 0) {
            throw new IllegalArgumentException("a user id is positive: " + userId);
        }
    }

    public String tag() {
        return "{user:" + userId + "}";
    }

    public String version() {
        return tag() + ":session:version";
    }

    public String revoked(String jti) {
        return tag() + ":session:revoked:" + jti;
    }

    /**
     * The user id of a session token's subject, or -1 when it is not one: the API issues the decimal
     * id of a user, so anything else (a sign, leading zeros, non-ASCII digits, overflow) was not
     * issued by it and is refused before any store sees it.
     */
    public static long userIdOf(String subject) {
        if (subject == null || subject.isEmpty() || subject.length() > 18 || subject.charAt(0) == '0') {
            return -1;
        }
        long id = 0;
        for (int i = 0; i < subject.length(); i++) {
            char c = subject.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            id = id * 10 + (c - '0');
        }
        return id;
    }
}
