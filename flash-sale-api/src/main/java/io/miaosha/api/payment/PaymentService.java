package io.miaosha.api.payment;

import io.miaosha.api.problem.Problems;
import io.miaosha.common.order.OrderStatus;
import io.miaosha.common.sale.SaleKeys;
import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Pays a hold: checks it can still be paid, charges through the {@link PaymentProvider} (keyed by
 * the order id, so two payments of one order move money once), then marks it paid with pay.lua,
 * which also appends OrderPaid to the sale's outbox for the worker. If the hold expired while the
 * charge was in flight, the script refuses and the charge is refunded: a hold never ends both paid
 * and expired, and a shopper never pays for units that went back on sale.
 */
@ApplicationScoped
public class PaymentService {

    private static final String DECLINED_PREFIX = "DECLINED|";

    private final OrderLocator locator;
    private final PayScript script;
    private final PaymentProvider provider;
    private final ReactiveRedisDataSource redis;
    private final PaymentConfig config;

    public PaymentService(OrderLocator locator, PayScript script, PaymentProvider provider,
            ReactiveRedisDataSource redis, PaymentConfig config) {
        this.locator = locator;
        this.script = script;
        this.provider = provider;
        this.redis = redis;
        this.config = config;
    }

    public Uni<PaymentReceipt> pay(String orderId, long userId, String cardNumber, String idempotencyKey) {
        return locator.saleOf(orderId)
                .onItem().ifNull().failWith(() -> new Problems.NotFound("Order", orderId))
                .chain(saleId -> payInSale(new SaleKeys(saleId), orderId, userId, cardNumber, idempotencyKey));
    }

    private Uni<PaymentReceipt> payInSale(SaleKeys keys, String orderId, long userId, String card, String idempotencyKey) {
        String declinedKey = keys.idempotency(userId, "pay:" + idempotencyKey);
        return Uni.combine().all()
                .unis(redis.hash(String.class).hget(keys.holds(), orderId),
                        redis.hash(String.class).hmget(keys.meta(), "price", "currency"),
                        redis.value(String.class).get(declinedKey))
                .asTuple()
                .chain(state -> {
                    if (state.getItem1() == null) {
                        throw new Problems.NotFound("Order", orderId);
                    }
                    Hold hold = Hold.parse(state.getItem1());
                    if (hold.userId() != userId) {
                        throw new Problems.NotFound("Order", orderId);
                    }
                    long amount = Long.parseLong(state.getItem2().get("price")) * hold.quantity();
                    String currency = state.getItem2().get("currency");
                    if (hold.paid()) {
                        return Uni.createFrom().item(receipt(orderId, hold.paymentId(), amount, currency));
                    }
                    if (state.getItem3() != null) {
                        throw new Problems.PaymentDeclined(state.getItem3().substring(DECLINED_PREFIX.length()));
                    }
                    if (hold.expiredAt(System.currentTimeMillis())) {
                        throw new Problems.HoldExpired(orderId);
                    }
                    return charge(orderId, amount, currency, card, declinedKey)
                            .chain(charge -> markPaid(keys, orderId, userId, charge));
                });
    }

    private Uni<PaymentProvider.Charge> charge(String orderId, long amount, String currency, String card, String declinedKey) {
        return provider.charge(new PaymentProvider.ChargeRequest(orderId, amount, currency, card))
                .onFailure(PaymentProvider.Unavailable.class).retry()
                .withBackOff(config.backOff()).atMost(config.attempts() - 1L)
                .onFailure(PaymentProvider.Unavailable.class).transform(e -> new Problems.PaymentUnavailable())
                .onFailure(PaymentProvider.Declined.class).call(declined -> redis.value(String.class)
                        .setex(declinedKey, config.idempotencyTtl().toSeconds(), DECLINED_PREFIX + declined.getMessage()))
                .onFailure(PaymentProvider.Declined.class).transform(e -> new Problems.PaymentDeclined(e.getMessage()));
    }

    private Uni<PaymentReceipt> markPaid(SaleKeys keys, String orderId, long userId, PaymentProvider.Charge charge) {
        return script.run(keys.saleId(), orderId, userId, charge.paymentId(), System.currentTimeMillis())
                .chain(result -> switch (result.code()) {
                    case PayScript.PAID -> Uni.createFrom().item(
                            receipt(orderId, charge.paymentId(), charge.amountMinor(), charge.currency()));
                    case PayScript.ALREADY_PAID -> refundUnless(result.paymentId(), charge)
                            .replaceWith(receipt(orderId, result.paymentId(), charge.amountMinor(), charge.currency()));
                    case PayScript.EXPIRED -> refundUnless(null, charge)
                            .chain(() -> Uni.createFrom().failure(new Problems.HoldExpired(orderId)));
                    default -> refundUnless(null, charge)
                            .chain(() -> Uni.createFrom().failure(new Problems.NotFound("Order", orderId)));
                });
    }

    /** Refunds a charge that did not pay the hold (the hold expired, or another charge paid it). */
    private Uni<Void> refundUnless(String keptPaymentId, PaymentProvider.Charge charge) {
        if (charge.paymentId().equals(keptPaymentId)) {
            return Uni.createFrom().voidItem();
        }
        Log.infof("refunding payment %s: it did not pay its hold", charge.paymentId());
        return provider.refund(charge.paymentId());
    }

    private static PaymentReceipt receipt(String orderId, String paymentId, long amount, String currency) {
        return new PaymentReceipt(orderId, OrderStatus.PAID, paymentId, amount, currency);
    }
}
