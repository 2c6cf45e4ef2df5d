package io.miaosha.api.problem;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The catalogue of business outcomes that end a request early, one class per outcome. */
public final class Problems {

    private Problems() {
    }

    /** "1 unit", "3 units": a count as a person writes it. */
    public static String units(long count) {
        return count + (count == 1 ? " unit" : " units");
    }

    public static final class InvalidRequest extends Problem {
        public InvalidRequest(String detail) {
            super(400, "invalid-request", "The request is not valid", detail);
        }

        public InvalidRequest(String detail, List<Map<String, String>> errors) {
            this(detail);
            with("errors", errors);
        }
    }

    public static final class NotAuthenticated extends Problem {
        public NotAuthenticated(String detail) {
            super(401, "not-authenticated", "Authentication required", detail);
        }
    }

    public static final class BadCredentials extends Problem {
        public BadCredentials() {
            super(401, "bad-credentials", "Wrong email or password", "The email or the password is wrong.");
        }
    }

    /** The API's own log-in throttle (per account and per client address), not the edge's. */
    public static final class TooManyLogins extends Problem {
        public TooManyLogins(long retryAfterSeconds) {
            super(429, "too-many-logins", "Too many log-in attempts",
                    "Too many log-in attempts for this account or from this address; try again in " + retryAfterSeconds
                            + " seconds.");
            with("retryAfterSeconds", retryAfterSeconds);
            withHeader("Retry-After", Long.toString(retryAfterSeconds));
        }
    }

    /** A path under /api that is not in the one form the API routes (refused before routing, see io.miaosha.api.edge). */
    public static final class NonCanonicalPath extends Problem {
        public NonCanonicalPath(String why) {
            super(400, "non-canonical-path", "The path is not canonical",
                    "The request path " + why + "; send each API path in its one plain form: single slashes, no"
                            + " trailing slash, no dot segments, no ';' parameters, no needless percent-encoding.");
        }
    }

    public static final class Forbidden extends Problem {
        public Forbidden(String detail) {
            super(403, "forbidden", "Not allowed", detail);
        }
    }

    /** A machine-to-machine call without the X-Miaosha-Arming-Key header. */
    public static final class ArmingKeyRequired extends Problem {
        public ArmingKeyRequired(String header) {
            super(401, "arming-key-required", "Arming key required",
                    "This endpoint is for the scheduled-start function: send the shared arming key in " + header + ".");
        }
    }

    /** The arming key presented does not match the one this instance was given. */
    public static final class ArmingKeyInvalid extends Problem {
        public ArmingKeyInvalid(String header) {
            super(403, "arming-key-invalid", "Arming key not valid", "The key in " + header + " is not the arming key.");
        }
    }

    /** This instance has the arming API off, or was given no arming key (MIAOSHA_ARMING_KEY): no key can be right. */
    public static final class ArmingDisabled extends Problem {
        public ArmingDisabled() {
            super(403, "arming-disabled", "Arming by key is disabled",
                    "This instance has arming by key turned off (MIAOSHA_ARMING_API_ENABLED=false) or no arming key "
                            + "configured (MIAOSHA_ARMING_KEY); it refuses every arming call.");
        }
    }

    public static final class NotFound extends Problem {
        public NotFound(String what, Object id) {
            super(404, "not-found", "Not found", what + " " + id + " does not exist.");
        }
    }

    /** No draw to show: the sale is unknown, has no waiting room, or opened without anyone joining before. */
    public static final class NoDraw extends Problem {
        public NoDraw(long saleId) {
            super(404, "not-found", "Not found", "Sale " + saleId + " has no draw: only a sale behind a waiting room"
                    + " has one, among the shoppers who join before it opens.");
        }
    }

    public static final class EmailTaken extends Problem {
        public EmailTaken(String email) {
            super(409, "email-taken", "Email already registered", "An account with " + email + " already exists.");
        }
    }

    /** A verification link that is not one this shop sent (mistyped, cut short, forged). */
    public static final class VerificationLinkInvalid extends Problem {
        public VerificationLinkInvalid() {
            super(400, "verification-link-invalid", "This confirmation link is not valid",
                    "This link does not confirm any email address: it may have been cut short when copied. Open the"
                            + " link from the newest email, or send a new one from your account.");
        }
    }

    public static final class VerificationLinkExpired extends Problem {
        public VerificationLinkExpired() {
            super(410, "verification-link-expired", "This confirmation link has expired",
                    "This link has expired. Log in and send a new one: it arrives within a minute.");
        }
    }

    public static final class VerificationLinkUsed extends Problem {
        public VerificationLinkUsed() {
            super(410, "verification-link-used", "This confirmation link was already used",
                    "This link was already used: each link confirms once. If your email is not confirmed yet, send a new link.");
        }
    }

    public static final class EmailAlreadyVerified extends Problem {
        public EmailAlreadyVerified(String email) {
            super(409, "email-already-verified", "Email already confirmed", email + " is already confirmed: there is nothing to send.");
        }
    }

    /** The resend limit: at most {@code max} verification emails per account in one window. */
    public static final class TooManyVerificationEmails extends Problem {
        public TooManyVerificationEmails(int max, java.time.Duration window, long retryAfterSeconds) {
            super(429, "too-many-verification-emails", "Too many confirmation emails",
                    "We sent " + max + " confirmation emails to this account within " + window.toMinutes()
                            + " minutes, the most we send: check your inbox and spam folder, or ask again in "
                            + retryAfterSeconds + " seconds.");
            with("retryAfterSeconds", retryAfterSeconds);
            withHeader("Retry-After", Long.toString(retryAfterSeconds));
        }
    }

    /** The email queue could not take the job (SQS down): nothing was sent, the shopper tries again. */
    public static final class EmailUnavailable extends Problem {
        public EmailUnavailable() {
            super(503, "email-unavailable", "Email cannot be sent right now",
                    "We could not send the email just now. Try again in a minute.");
            withHeader("Retry-After", "60");
        }
    }

    /** A verified-only sale, and a session that does not say its email is confirmed. */
    public static final class EmailNotVerified extends Problem {
        public EmailNotVerified() {
            super(403, "email-not-verified", "Confirmed email required",
                    "This sale is for accounts with a confirmed email. Check your inbox for the link, or send it again.");
        }
    }

    public static final class SaleNotOpen extends Problem {
        public SaleNotOpen(Instant opensAt) {
            super(403, "sale-not-open", "The sale is not open yet", "The sale opens at " + opensAt + ".");
            with("opensAt", opensAt.toString());
        }
    }

    public static final class SaleClosed extends Problem {
        public SaleClosed(String why) {
            super(410, "sale-closed", "The sale is over", why);
        }
    }

    public static final class SoldOut extends Problem {
        public SoldOut() {
            super(409, "sold-out", "Sold out", "Every unit of this sale is sold or held.");
            with("unitsLeft", 0);
        }
    }

    public static final class NotEnoughStock extends Problem {
        public NotEnoughStock(long unitsLeft) {
            super(409, "not-enough-stock", "Not enough stock", "Only " + units(unitsLeft) + " left.");
            with("unitsLeft", unitsLeft);
        }
    }

    public static final class LimitReached extends Problem {
        public LimitReached(long unitsHeld, long limit) {
            super(409, "limit-reached", "Per-shopper limit reached",
                    "You already have " + units(unitsHeld) + " of this sale, and it allows " + limit + " per customer.");
            with("unitsHeld", unitsHeld);
            with("limit", limit);
        }
    }

    /** The sale is behind the waiting room and the request carried no Admission-Token. */
    public static final class AdmissionRequired extends Problem {
        public AdmissionRequired() {
            super(403, "admission-required", "Admission required",
                    "This sale admits shoppers through its waiting room: join the queue and buy with the"
                            + " Admission-Token it gives you.");
        }
    }

    /** The Admission-Token is forged, expired, another user's or sale's, or already used. */
    public static final class AdmissionInvalid extends Problem {
        public AdmissionInvalid(String why) {
            super(403, "admission-invalid", "Admission token not valid", "The Admission-Token is not valid: " + why + ".");
        }
    }

    /** Stripe's rule: an Idempotency-Key names one request; sent again with another body, it is refused. */
    public static final class IdempotencyKeyReused extends Problem {
        public IdempotencyKeyReused() {
            super(422, "idempotency-key-reused", "Idempotency-Key already used for another request",
                    "This Idempotency-Key was first sent with a different body; a retry must repeat the original"
                            + " request exactly. Use a new key for a new purchase.");
        }
    }

    public static final class SaleChangeRejected extends Problem {
        public SaleChangeRejected(String detail) {
            super(409, "sale-change-rejected", "The sale cannot be changed that way", detail);
        }
    }

    public static final class HoldExpired extends Problem {
        public HoldExpired(String orderId) {
            super(409, "hold-expired", "The hold expired",
                    "Order " + orderId + " was not paid before its pay-by time; its units went back on sale.");
        }
    }

    public static final class PaymentDeclined extends Problem {
        public PaymentDeclined(String reason) {
            super(402, "payment-declined", "Payment declined",
                    "The card was declined (" + reason + "). The order stays pending until its pay-by time: try another card.");
            with("reason", reason);
        }
    }

    /**
     * The purchase reached Redis's master but no replica acknowledged it in time, so a failover could
     * still lose it: it is not promised. Retried with the same Idempotency-Key it answers this very
     * order once it is safe, never a second one.
     */
    public static final class PurchaseNotConfirmed extends Problem {
        public PurchaseNotConfirmed(boolean keyed) {
            super(503, "purchase-not-confirmed", "We could not confirm your order yet",
                    keyed ? "Your order may not be saved yet. Try again in a second with the same Idempotency-Key: you get"
                            + " this order if it was kept, never a second one."
                            : "Your order may not be saved yet. Look at your orders before you try again: a purchase sent"
                            + " without an Idempotency-Key can make a second order.");
            withHeader("Retry-After", "1");
        }
    }

    /**
     * The sale's hot state is being rebuilt after a Redis loss, and waits for the orders still on their
     * way to MySQL: nothing was done; the same request (same Idempotency-Key) may be sent again.
     */
    public static final class SaleRecovering extends Problem {
        public SaleRecovering() {
            super(503, "sale-recovering", "The sale is back in a moment",
                    "We are restoring this sale's orders after a fault; nothing was done. Try again in a second (with"
                            + " the same Idempotency-Key, if you sent one): you get your first order, never a second one.");
            withHeader("Retry-After", "1");
        }
    }

    /** Redis or MySQL cannot be reached or is failing over: nothing was promised; the same request may be sent again. */
    public static final class StoreUnavailable extends Problem {
        public StoreUnavailable() {
            super(503, "store-unavailable", "Busy for a moment",
                    "We could not reach our data store; nothing was done. Try again in a second (with the same"
                            + " Idempotency-Key, if you sent one).");
            withHeader("Retry-After", "1");
        }
    }

    public static final class PaymentUnavailable extends Problem {
        public PaymentUnavailable() {
            super(503, "payment-unavailable", "Payment provider unavailable",
                    "The payment provider did not answer; nothing was charged. Try again with the same Idempotency-Key.");
        }
    }

    /** A unit purchase in a seated sale, or a seat pick in a sale without seats. */
    public static final class SeatingMismatch extends Problem {
        public SeatingMismatch(long saleId, boolean seated) {
            super(409, seated ? "seats-required" : "not-seated", seated ? "Pick seats in this sale" : "This sale has no seats",
                    seated ? "Sale " + saleId + " sells seats: pick them with POST /api/sales/" + saleId + "/seats/pick."
                            : "Sale " + saleId + " sells units without seats: buy with POST /api/sales/" + saleId + "/purchase.");
        }
    }

    /** A pick that lost the race for some of its seats: nothing was held; the seats that went are named. */
    public static final class SeatsTaken extends Problem {
        public SeatsTaken(List<Map<String, Object>> seats, String labels) {
            super(409, "seats-taken", "Some seats are no longer free",
                    "These seats were taken by someone else a moment ago: " + labels + ". Nothing was held; pick again"
                            + " from the refreshed seat map.");
            with("seats", seats);
        }
    }

    /** A best-available pick for more seats than its area has free. */
    public static final class NotEnoughSeats extends Problem {
        public NotEnoughSeats(String area, long free) {
            super(409, "not-enough-seats", "Not enough free seats",
                    "Only " + free + (free == 1 ? " seat is" : " seats are") + " free in " + area + ".");
            with("seatsFree", free);
        }
    }
}
