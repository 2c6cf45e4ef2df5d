package io.miaosha.gateway.queue;

import io.miaosha.gateway.socket.SocketClose;

/**
 * Why the gateway refuses or ends a socket itself: the {@code error} frame's reason and message (what
 * the page shows) and the close code that follows it. Sale problems use the application range
 * (4400, 4404, 4409, like the HTTP statuses a browser cannot see on a refused upgrade); misbehaving
 * clients get the RFC 6455 codes. The close reason is the same slug, for clients that read only it.
 */
enum Refusal {
    BAD_SALE_ID(4400, "bad-sale-id", "The sale id must be a positive whole number, as in /ws/sales/42/queue."),
    SALE_NOT_AVAILABLE(4404, "sale-not-available",
            "This sale has no waiting room yet: it is unknown or not armed. Try again shortly before it opens."),
    LIMIT_REACHED(4409, "limit-reached",
            "You already have %d of this sale's %d per shopper, so there is nothing more to queue for. Your order is under My orders."),
    LIMIT_REACHED_WHILE_WAITING(4409, "limit-reached",
            "While you waited, this account reached this sale's limit per shopper (on another device), so there is nothing more to queue for. Your order is under My orders."),
    ENTRIES_NOT_OPEN(4425, "entries-not-open",
            "Entries to this sale's draw open at %s, a set time before the opening; there is no place to take before then."),
    NO_WAITING_ROOM(4404, "no-waiting-room", "This sale has no waiting room: you can buy straight from the sale page."),
    EMAIL_NOT_VERIFIED(4403, "email-not-verified",
            "This sale is for accounts with a confirmed email. Check your inbox for the link, or send it again."),
    TOO_MANY_CONNECTIONS(1008, "too-many-connections",
            "This account already has %d pages of this sale's waiting room open here: close one to open another."),
    TOO_MANY_MESSAGES(1008, "too-many-messages", "This page sent messages faster than the waiting room accepts them."),
    INVALID_MESSAGE(1007, "invalid-message", "A message was not a JSON object in valid UTF-8, such as {\"type\":\"leave\"}."),
    BINARY_MESSAGE(1003, "binary-message", "The waiting room accepts only text messages."),
    MESSAGE_TOO_BIG(1009, "message-too-big", "A message was larger than the waiting room accepts (%d bytes)."),
    PROOF_MISSING(4401, "proof-missing",
            "Joining this waiting room takes a short proof-of-work that this page did not send: reload the page to join."),
    PROOF_INVALID(4403, "proof-invalid",
            "The proof-of-work this page sent did not check out: reload the page to join again."),
    PROOF_EXPIRED(4403, "proof-expired",
            "The proof-of-work was made too long ago to join with: this page makes a fresh one when you join again."),
    PROOF_OTHER_SALE(4403, "proof-other-sale",
            "The proof-of-work was made for another sale: open this sale's own page to join it."),
    PROOF_USED(4409, "proof-used",
            "This proof-of-work was already used to join: every join takes a fresh one, which this page makes by itself."),
    JOINS_PER_ACCOUNT(4429, "too-many-joins",
            "This account joined this sale's waiting room %d times within %d seconds, the most allowed: wait a minute, then join again."),
    JOINS_PER_ADDRESS(4429, "too-many-joins-from-address",
            "%d joins of this sale's waiting room came from your network address within %d seconds, the most allowed: wait a minute, then join again."),
    UNAVAILABLE(1011, "unavailable", "The waiting room cannot reach its store right now: this page reconnects by itself.");

    final SocketClose close;
    final String reason;
    private final String message;

    Refusal(int code, String reason, String message) {
        this.close = new SocketClose(code, reason);
        this.reason = reason;
        this.message = message;
    }

    Messages.Error error(Object... details) {
        return new Messages.Error(reason, details.length == 0 ? message : message.formatted(details));
    }
}
