package io.miaosha.api.payment;

import io.miaosha.common.text.Digests;
import io.smallrye.mutiny.Uni;

/**
 * The payment port. {@link PaymentProviders} picks the implementation at startup from
 * {@code miaosha.payment.provider}: {@link StripePaymentProvider} in production,
 * {@link TestPaymentProvider} in dev, tests and the run command.
 *
 * <p>Contract: {@link #charge} is idempotent on {@link ChargeRequest#chargeKey()} (providers call it
 * an idempotency key): asking twice returns the first charge and moves money once. It fails with
 * {@link Declined} for a refusal the shopper can fix, or {@link Unavailable} for a failure of the
 * provider (worth retrying with the same key when {@link Unavailable#retryable()}).
 */
public interface PaymentProvider {

    /** What identifies the means of payment in a pay request. */
    enum Instrument {
        /** A raw card number ({@code cardNumber}): only the test provider, whose cards are fake. */
        CARD_NUMBER,
        /** A PaymentMethod id that Stripe.js created in the browser ({@code paymentMethod}, e.g. pm_card_visa). */
        PAYMENT_METHOD
    }

    Instrument instrument();

    Uni<Charge> charge(ChargeRequest request);

    /** Gives the money of a charge back (a hold that expired while its charge was in flight). */
    Uni<Void> refund(String paymentId);

    /**
     * One charge attempt. {@code attemptKey} is the shopper's Idempotency-Key of the pay request and
     * {@code instrument} the card number or PaymentMethod id, as {@link #instrument()} says.
     */
    record ChargeRequest(String orderId, String attemptKey, long amountMinor, String currency, String instrument) {

        /**
         * The provider's idempotency key: the order and the shopper's attempt. Per order only, a
         * declined card would lock the order (Stripe replays the saved decline for that key for 24 h,
         * whatever card comes next); per attempt, a retry of the same attempt after a timeout gets the
         * first charge back instead of a second one. The attempt key is hashed: it is the shopper's
         * text, and the provider's key has a length limit (Stripe: 255).
         */
        public String chargeKey() {
            return "miaosha-pay:" + orderId + ":" + Digests.sha256Hex(attemptKey, 16);
        }

    }

    record Charge(String paymentId, long amountMinor, String currency) {
    }

    final class Declined extends RuntimeException {
        public Declined(String reason) {
            super(reason, null, false, false);
        }
    }

    final class Unavailable extends RuntimeException {
        private final boolean retryable;

        public Unavailable(String reason) {
            this(reason, true);
        }

        public Unavailable(String reason, boolean retryable) {
            super(reason, null, false, false);
            this.retryable = retryable;
        }

        /** False when asking again with the same key cannot help (Stripe replays a saved 500, a wrong API key stays wrong). */
        public boolean retryable() {
            return retryable;
        }
    }
}
