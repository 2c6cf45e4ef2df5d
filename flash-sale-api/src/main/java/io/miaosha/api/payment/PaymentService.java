package io.miaosha.api.payment;

import io.miaosha.api.arming.SaleArmer;
import io.miaosha.api.problem.Problems;
import io.miaosha.common.order.OrderStatus;
import io.miaosha.common.redis.RedisClock;
import io.miaosha.common.sale.PayScript;
import io.miaosha.common.sale.SaleKeys;
import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Pays a hold: checks it can still be paid, charges through the {@link PaymentProvider} (keyed by
 * the order and the shopper's attempt, see {@link PaymentProvider.ChargeRequest#chargeKey()}), then
 * marks it paid with pay.lua, which also appends OrderPaid to the sale's outbox for the worker. If
 * the hold expired or its sale was cancelled while the charge was in flight, the script refuses and
 * the charge is refunded: a hold never ends both paid and expired, and a shopper never pays for
 * units that went back on sale or a sale that no longer takes place.
 *
 * <p>One charge of an order is in flight at a time (a marker in Redis, on the sale's slot): a second
 * attempt, from another tab or with a new key, waits for the first and answers with its outcome,
 * instead of charging in parallel and refunding the loser.
 */
@ApplicationScoped
public class PaymentService {

    private static final String DECLINED_PREFIX = "DECLINED|";
    private static final Duration FIRST_WAIT = Duration.ofMillis(20);
    private static final Duration LONGEST_WAIT = Duration.ofMillis(250);

    private final OrderLocator locator;
    private final PayScript script;
    private final PaymentProvider provider;
    private final ReactiveRedisDataSource redis;
    private final PaymentConfig config;
    private final SaleArmer armer;

    public PaymentService(OrderLocator locator, PaymentProvider provider, ReactiveRedisDataSource redis,
            PaymentConfig config, SaleArmer armer) {
        this.armer = armer;
        this.locator = locator;
        this.script = new PayScript(redis);
        this.provider = provider;
        this.redis = redis;
        this.config = config;
    }

    /** What a pay request must carry: a card number for the test provider, a PaymentMethod id for Stripe. */
    public PaymentProvider.Instrument instrument() {
        return provider.instrument();
    }

    public Uni<PaymentReceipt> pay(String orderId, long userId, String instrument, String attemptKey) {
        return locator.saleOf(orderId)
                .onItem().ifNull().failWith(() -> new Problems.NotFound("Order", orderId))
                .chain(sale -> Uni.createFrom()
                        .deferred(() -> payInSale(new SaleKeys(sale.saleId()), sale.cancelled(), orderId, userId,
                                instrument, attemptKey, true))
                        .onFailure(PaymentInProgress.class).retry()
                        .withBackOff(FIRST_WAIT, LONGEST_WAIT).expireIn(config.inFlightWait().toMillis())
                        // Mutiny reports the deadline as an IllegalStateException around the last failure.
                        .onFailure(PaymentService::waitedTooLong).transform(Throwable::getCause));
    }

    private static boolean waitedTooLong(Throwable failure) {
        return failure instanceof IllegalStateException && failure.getCause() instanceof PaymentInProgress;
    }

    /**
     * {@code mayArm}: an order MySQL or Redis knows in a sale Redis does not have armed (it lost the sale's
     * hot state) arms the sale once, which rebuilds the hold or answers 503 recovering, never 404.
     */
    private Uni<PaymentReceipt> payInSale(SaleKeys keys, boolean cancelledInDb, String orderId, long userId,
            String instrument, String attemptKey, boolean mayArm) {
        String declinedKey = keys.idempotency(userId, "pay:" + attemptKey);
        return Uni.combine().all()
                .unis(redis.hash(String.class).hget(keys.holds(), orderId),
                        redis.hash(String.class).hmget(keys.meta(), "price", "currency", "state", "recovering"),
                        redis.value(String.class).get(declinedKey),
                        // The Redis clock, the one pay.lua decides on: this instance's may run ahead.
                        redis.execute("TIME"),
                        // A seated hold's exact total ("amountMinor|seats"): its seats' areas may differ in price.
                        redis.hash(String.class).hget(keys.holdSeats(), orderId))
                .asTuple()
                .chain(state -> {
                    if (state.getItem1() == null) {
                        if (state.getItem2().get("recovering") != null) {
                            throw new Problems.SaleRecovering();
                        }
                        if (state.getItem2().get("price") == null && mayArm) {
                            return armer.armById(keys.saleId()).chain(() -> payInSale(keys, cancelledInDb, orderId, userId,
                                    instrument, attemptKey, false));
                        }
                        throw new Problems.NotFound("Order", orderId);
                    }
                    Hold hold = Hold.parse(state.getItem1());
                    if (hold.userId() != userId) {
                        throw new Problems.NotFound("Order", orderId);
                    }
                    long amount = state.getItem5() != null
                            ? Long.parseLong(state.getItem5().substring(0, state.getItem5().indexOf('|')))
                            : Long.parseLong(state.getItem2().get("price")) * hold.quantity();
                    String currency = state.getItem2().get("currency");
                    if (hold.paid()) {
                        return Uni.createFrom().item(receipt(orderId, hold.paymentId(), amount, currency));
                    }
                    if (state.getItem3() != null) {
                        throw new Problems.PaymentDeclined(state.getItem3().substring(DECLINED_PREFIX.length()));
                    }
                    if (cancelledInDb || "cancelled".equals(state.getItem2().get("state"))) {
                        throw saleCancelled("nothing was charged");
                    }
                    if (hold.expiredAt(epochMillis(state.getItem4()))) {
                        throw new Problems.HoldExpired(orderId);
                    }
                    var request = new PaymentProvider.ChargeRequest(orderId, attemptKey, amount, currency, instrument);
                    return chargeAlone(keys, request, () -> charge(request, declinedKey)
                            .chain(charge -> markPaid(keys, orderId, userId, charge)));
                });
    }

    /** The reply of TIME (seconds, microseconds) as epoch milliseconds. */
    private static long epochMillis(Response time) {
        return time.get(0).toLong() * 1000 + time.get(1).toLong() / 1000;
    }

    /**
     * Runs the charge while holding the order's in-flight marker; without the marker (another charge
     * of this order is running) fails with {@link PaymentInProgress}, which {@link #pay} retries.
     */
    private Uni<PaymentReceipt> chargeAlone(SaleKeys keys, PaymentProvider.ChargeRequest request,
            Supplier<Uni<PaymentReceipt>> work) {
        String marker = keys.tag() + ":paying:" + request.orderId();
        // The value names the attempt holding the marker, for whoever looks at Redis during an incident.
        return redis.execute("SET", marker, request.chargeKey(), "NX", "PX", Long.toString(config.inFlightTtl().toMillis()))
                .chain(reply -> {
                    if (reply == null || !"OK".equals(reply.toString())) {
                        return Uni.createFrom().failure(new PaymentInProgress(request.orderId()));
                    }
                    // The hold was read before the marker was taken: a charge that held it meanwhile
                    // may have paid the order, so look again before charging a second time.
                    return redis.hash(String.class).hget(keys.holds(), request.orderId())
                            .chain(current -> current != null && Hold.parse(current).paid()
                                    ? Uni.createFrom().item(receipt(request.orderId(), Hold.parse(current).paymentId(),
                                            request.amountMinor(), request.currency()))
                                    : work.get())
                            .onTermination().call(() -> redis.key(String.class).del(marker));
                });
    }

    private Uni<PaymentProvider.Charge> charge(PaymentProvider.ChargeRequest request, String declinedKey) {
        return provider.charge(request)
                .onFailure(PaymentService::retryable).retry()
                .withBackOff(config.backOff()).atMost(config.attempts() - 1L)
                .onFailure(PaymentProvider.Unavailable.class).transform(e -> new Problems.PaymentUnavailable())
                .onFailure(PaymentProvider.Declined.class).call(declined -> redis.value(String.class)
                        .setex(declinedKey, config.idempotencyTtl().toSeconds(), DECLINED_PREFIX + declined.getMessage()))
                .onFailure(PaymentProvider.Declined.class).transform(e -> new Problems.PaymentDeclined(e.getMessage()));
    }

    private static boolean retryable(Throwable failure) {
        return failure instanceof PaymentProvider.Unavailable unavailable && unavailable.retryable();
    }

    private Uni<PaymentReceipt> markPaid(SaleKeys keys, String orderId, long userId, PaymentProvider.Charge charge) {
        return script.run(keys.saleId(), orderId, userId, charge.paymentId(), RedisClock.SERVER)
                .chain(result -> switch (result) {
                    case PayScript.Result.Paid paid -> Uni.createFrom().item(
                            receipt(orderId, charge.paymentId(), charge.amountMinor(), charge.currency()));
                    case PayScript.Result.AlreadyPaid earlier -> refundUnless(earlier.paymentId(), charge)
                            .replaceWith(receipt(orderId, earlier.paymentId(), charge.amountMinor(), charge.currency()));
                    case PayScript.Result.Expired expired -> refundUnless(null, charge)
                            .chain(() -> Uni.createFrom().failure(new Problems.HoldExpired(orderId)));
                    case PayScript.Result.SaleCancelled cancelled -> refundUnless(null, charge)
                            .chain(() -> Uni.createFrom().failure(saleCancelled("the charge was refunded")));
                    case PayScript.Result.NoSuchHold none -> refundUnless(null, charge)
                            .chain(() -> Uni.createFrom().failure(new Problems.NotFound("Order", orderId)));
                });
    }

    /**
     * Refunds a charge that did not pay the hold (the hold expired, its sale was cancelled, or another
     * charge paid it). The refund carries its own idempotency key, so retrying it refunds once; when
     * the provider stays unreachable the charge is logged for a person to refund, and the shopper
     * still gets the true answer about the order.
     */
    private Uni<Void> refundUnless(String keptPaymentId, PaymentProvider.Charge charge) {
        if (charge.paymentId().equals(keptPaymentId)) {
            return Uni.createFrom().voidItem();
        }
        Log.infof("refunding payment %s: it did not pay its hold", charge.paymentId());
        return provider.refund(charge.paymentId())
                .onFailure(PaymentService::retryable).retry()
                .withBackOff(config.backOff()).atMost(config.attempts() - 1L)
                .onFailure().recoverWithUni(failure -> {
                    Log.errorf("REFUND NEEDED: payment %s (%d %s) did not pay its hold and could not be refunded (%s);"
                            + " refund it in the provider's dashboard", charge.paymentId(), charge.amountMinor(),
                            charge.currency(), failure.getMessage());
                    return Uni.createFrom().voidItem();
                });
    }

    private static Problems.SaleClosed saleCancelled(String money) {
        return new Problems.SaleClosed("The sale was cancelled: its orders can no longer be paid, and " + money + ".");
    }

    private static PaymentReceipt receipt(String orderId, String paymentId, long amount, String currency) {
        return new PaymentReceipt(orderId, OrderStatus.PAID, paymentId, amount, currency);
    }
}
