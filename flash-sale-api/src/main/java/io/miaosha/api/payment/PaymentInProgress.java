package io.miaosha.api.payment;

import io.miaosha.api.problem.Problem;

/** Another payment of the same order was still in flight after the wait (miaosha.payment.in-flight-wait). */
public final class PaymentInProgress extends Problem {

    public PaymentInProgress(String orderId) {
        super(409, "payment-in-progress", "A payment of this order is in progress",
                "Another payment of order " + orderId + " is still being processed; nothing more was charged."
                        + " Look at the order or try again in a few seconds.");
    }
}
