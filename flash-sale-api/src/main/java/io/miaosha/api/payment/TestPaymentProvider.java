package io.miaosha.api.payment;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Typed;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A payment provider in memory, with the test cards providers publish:
 * <ul>
 * <li>4242424242424242, 5555555555554444: approved;</li>
 * <li>4000000000000002: declined (card_declined); 4000000000009995: declined (insufficient_funds);</li>
 * <li>4000000000000119: the first attempt of each charge fails transiently (processing_error), a
 * retry with the same key succeeds;</li>
 * <li>any other number: declined (unknown_test_card).</li>
 * </ul>
 * Charges are idempotent per charge key within this process, as a real provider is across all of
 * them; counting what it did lets tests prove "charged once".
 *
 * <p>Active only where {@code miaosha.payment.provider=test} (the dev and test profiles, and the
 * run and test commands, which say so explicitly): with it every order is free. {@code @Typed}
 * keeps it out of {@link PaymentProvider} injection points; {@link PaymentProviders} chooses.
 */
@ApplicationScoped
@Typed(TestPaymentProvider.class)
public class TestPaymentProvider implements PaymentProvider {

    static final Set<String> APPROVED = Set.of("4242424242424242", "5555555555554444");
    static final Map<String, String> DECLINED = Map.of(
            "4000000000000002", "card_declined",
            "4000000000009995", "insufficient_funds");
    static final String TRANSIENT = "4000000000000119";

    private final ConcurrentHashMap<String, Charge> charges = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, AtomicInteger> chargesMade = new ConcurrentHashMap<>();
    private final Set<String> transientFailed = ConcurrentHashMap.newKeySet();

    @Override
    public Instrument instrument() {
        return Instrument.CARD_NUMBER;
    }

    @Override
    public Uni<Charge> charge(ChargeRequest request) {
        return Uni.createFrom().item(() -> chargeNow(request));
    }

    private Charge chargeNow(ChargeRequest request) {
        Charge earlier = charges.get(request.chargeKey());
        if (earlier != null) {
            return earlier;
        }
        String card = request.instrument();
        if (DECLINED.containsKey(card)) {
            throw new Declined(DECLINED.get(card));
        }
        if (TRANSIENT.equals(card)) {
            if (transientFailed.add(request.chargeKey())) {
                throw new Unavailable("processing_error");
            }
        } else if (!APPROVED.contains(card)) {
            throw new Declined("unknown_test_card");
        }
        return charges.computeIfAbsent(request.chargeKey(), key -> {
            chargesMade.computeIfAbsent(request.orderId(), k -> new AtomicInteger()).incrementAndGet();
            return new Charge("pay_test_" + UUID.randomUUID().toString().replace("-", ""),
                    request.amountMinor(), request.currency());
        });
    }

    @Override
    public Uni<Void> refund(String paymentId) {
        return Uni.createFrom().voidItem();
    }

    /** How many charges moved money for this order, under any attempt key (idempotent replays not counted). */
    public int chargesMade(String orderId) {
        AtomicInteger count = chargesMade.get(orderId);
        return count == null ? 0 : count.get();
    }
}
