package io.miaosha.common.events;

/**
 * The sessions of this user changed (a logout, a role change, "log out everywhere") on
 * {@value #CHANNEL}: {@code {"v":1,"userId":7}}. Every instance drops what it remembers of that
 * user's tokens at once instead of at its next re-check (see SessionKeys).
 */
public record SessionRevoked(long userId) {

    public static final String CHANNEL = "miaosha:session-revocations";

    public SessionRevoked {
        if (userId <= 0) {
            throw new IllegalArgumentException("a user id is positive: " + userId);
        }
    }

    public String encode() {
        return EventJson.object().put("userId", userId).encode();
    }

    public static SessionRevoked decode(String text) {
        return new SessionRevoked(EventJson.number(EventJson.parse(text), "userId"));
    }
}
