package io.miaosha.api.purchase;

/**
 * A check every purchase must pass before it reaches Redis, beyond the session token. Gates are
 * CDI beans, all applied in turn; they must be cheap and local (no network): the waiting room's
 * admission-token check is one. A gate refuses by throwing a {@link io.miaosha.api.problem.Problem}.
 */
public interface PurchaseGate {

    void check(PurchaseAttempt attempt);
}
