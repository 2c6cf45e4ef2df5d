package io.miaosha.api.payment;

import io.smallrye.mutiny.Uni;

/**
 * The payment port. The built-in {@link TestPaymentProvider} is a {@code @DefaultBean}: a real
 * provider's adapter (Stripe, Adyen, ...) is an {@code @ApplicationScoped} class implementing this
 * interface in this package, and the test provider steps aside as soon as it exists.
 *
 * <p>Contract: {@link #charge} is idempotent on {@link ChargeRequest#chargeKey()} (providers call it
 * an idempotency key): asking twice returns the first charge and moves money once. It fails with
 * {@link Declined} for a refusal the shopper can fix, or {@link Unavailable} for a failure worth
 * retrying with the same key.
 */
public interface PaymentProvider {

    Uni<Charge> charge(ChargeRequest request);

    /** Gives the money of a charge back (a hold that expired while its charge was in flight). */
    Uni<Void> refund(String paymentId);

    record ChargeRequest(String chargeKey, long amountMinor, String currency, String cardNumber) {
    }

    record Charge(String paymentId, long amountMinor, String currency) {
    }

    final class Declined extends RuntimeException {
        public Declined(String reason) {
            super(reason, null, false, false);
        }
    }

    final class Unavailable extends RuntimeException {
        public Unavailable(String reason) {
            super(reason, null, false, false);
        }
    }
}
