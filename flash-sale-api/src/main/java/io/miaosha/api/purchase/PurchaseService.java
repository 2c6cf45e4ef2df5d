package io.miaosha.api.purchase;

import io.miaosha.api.admission.AdmissionGate;
import io.miaosha.api.arming.SaleArmer;
import io.miaosha.api.problem.Problems;
import io.miaosha.common.admission.AdmissionToken;
import io.miaosha.common.order.OrderIds;
import io.miaosha.common.order.OrderStatus;
import io.miaosha.common.purchase.PurchaseScript;
import io.miaosha.common.purchase.PurchaseScript.Result;
import io.miaosha.common.redis.RedisClock;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Future;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;

/**
 * The hot path: the admission check, then one Lua script in one Redis round trip. Everything else
 * (the order row, emails) happens later from the sale's outbox stream, so an accepted purchase costs
 * one round trip.
 */
@ApplicationScoped
public class PurchaseService {

    private final PurchaseScript script;
    private final SoldOutMemory soldOut;
    private final SaleArmer armer;
    private final PurchaseMetrics metrics;
    private final PurchaseConfig config;
    private final AdmissionGate admission;
    private final PurchaseRedis onEventLoop;

    public PurchaseService(ReactiveRedisDataSource redis, PurchaseRedis onEventLoop, SoldOutMemory soldOut, SaleArmer armer,
            PurchaseMetrics metrics, PurchaseConfig config, AdmissionGate admission) {
        this.onEventLoop = onEventLoop;
        this.script = new PurchaseScript(redis,
                new PurchaseScript.Durability(config.durableReplicas(), config.durableTimeout().toMillis()));
        this.soldOut = soldOut;
        this.armer = armer;
        this.metrics = metrics;
        this.config = config;
        this.admission = admission;
    }

    public Uni<PurchaseReceipt> purchase(PurchaseAttempt attempt) {
        PurchaseScript.Request request = checked(attempt);
        return script.run(request)
                .chain(result -> result instanceof Result.NotArmed
                        // A sale nobody armed yet (or whose hot state Redis lost): arm it and ask once more.
                        ? armer.armById(attempt.saleId()).chain(() -> script.run(request))
                        : Uni.createFrom().item(result))
                .onFailure(Problems.NotFound.class).invoke(() -> metrics.count(PurchaseOutcome.NOT_FOUND))
                .map(result -> receipt(attempt, result));
    }

    /**
     * {@link #purchase} answered on the Redis connection's event loop as a Vert.x future, for the HTTP
     * fast path: the same checks, script and receipt, without Mutiny's operators and the context
     * capture around each of them, which cost more CPU than the script's round trip.
     */
    public Future<PurchaseReceipt> purchaseOnEventLoop(PurchaseAttempt attempt) {
        PurchaseScript.Request request = checked(attempt);
        return script.send(request, onEventLoop.current())
                .compose(result -> result instanceof Result.NotArmed
                        ? Future.fromCompletionStage(armer.armById(attempt.saleId()).subscribeAsCompletionStage())
                                .compose(armed -> script.send(request, onEventLoop.current()))
                        : Future.succeededFuture(result))
                .onFailure(failure -> {
                    if (failure instanceof Problems.NotFound) {
                        metrics.count(PurchaseOutcome.NOT_FOUND);
                    }
                })
                .map(result -> receipt(attempt, result));
    }

    /** The checks made before Redis is asked (each throws its problem), and the script's request. */
    private PurchaseScript.Request checked(PurchaseAttempt attempt) {
        if (attempt.quantity() > config.maxQuantity()) {
            throw new Problems.InvalidRequest("quantity must be at most " + config.maxQuantity());
        }
        // A keyed request may be the retry of a purchase that was accepted before the sale sold out:
        // only the script can tell (and answers the original order), so only keyless ones stop here.
        if (attempt.idempotencyKey() == null && soldOut.isSoldOut(attempt.saleId())) {
            metrics.count(PurchaseOutcome.SOLD_OUT_FROM_MEMORY);
            throw new Problems.SoldOut();
        }
        AdmissionToken admitted;
        try {
            admitted = admission.check(attempt.admissionToken(), attempt.userId(), attempt.saleId());
        } catch (Problems.AdmissionInvalid refused) {
            metrics.count(PurchaseOutcome.REFUSED_BY_GATE);
            throw refused;
        }
        return request(attempt, OrderIds.next(), admitted == null ? null : admitted.id());
    }

    private PurchaseScript.Request request(PurchaseAttempt attempt, String orderId, String admissionId) {
        return new PurchaseScript.Request(attempt.saleId(), attempt.userId(), attempt.quantity(), orderId,
                RedisClock.SERVER, attempt.idempotencyKey(), attempt.fingerprint(),
                config.idempotencyTtl().toSeconds(), admissionId, null, attempt.emailVerified());
    }

    private PurchaseReceipt receipt(PurchaseAttempt attempt, Result result) {
        switch (result) {
            case Result.Accepted accepted -> {
                metrics.count(PurchaseOutcome.ACCEPTED);
                if (accepted.unitsLeft() == 0) {
                    soldOut.remember(attempt.saleId());
                }
                return receipt(attempt.saleId(), accepted.orderId(), accepted.quantity(), accepted.payByMs());
            }
            case Result.Replayed replayed -> {
                metrics.count(PurchaseOutcome.REPLAYED);
                return receipt(attempt.saleId(), replayed.orderId(), replayed.quantity(), replayed.payByMs());
            }
            case Result.Unconfirmed unconfirmed -> {
                metrics.count(PurchaseOutcome.UNCONFIRMED);
                throw new Problems.PurchaseNotConfirmed(attempt.idempotencyKey() != null);
            }
            case Result.SoldOut soldOutNow -> {
                metrics.count(PurchaseOutcome.SOLD_OUT);
                soldOut.remember(attempt.saleId());
                throw new Problems.SoldOut();
            }
            case Result.NotEnoughStock notEnough -> {
                metrics.count(PurchaseOutcome.NOT_ENOUGH_STOCK);
                throw new Problems.NotEnoughStock(notEnough.unitsLeft());
            }
            case Result.LimitReached limit -> {
                metrics.count(PurchaseOutcome.LIMIT_REACHED);
                throw new Problems.LimitReached(limit.unitsHeld(), limit.limit());
            }
            case Result.AdmissionRequired required -> {
                metrics.count(PurchaseOutcome.REFUSED_BY_GATE);
                throw new Problems.AdmissionRequired();
            }
            case Result.AdmissionUsed used -> {
                metrics.count(PurchaseOutcome.REFUSED_BY_GATE);
                throw new Problems.AdmissionInvalid("it was already used for a purchase, or you are no longer inside"
                        + " (you left or your window ended)");
            }
            case Result.KeyReused reused -> {
                metrics.count(PurchaseOutcome.KEY_REUSED);
                throw new Problems.IdempotencyKeyReused();
            }
            case Result.EmailNotVerified notVerified -> {
                metrics.count(PurchaseOutcome.REFUSED_BY_GATE);
                throw new Problems.EmailNotVerified();
            }
            case Result.Recovering recovering -> {
                metrics.count(PurchaseOutcome.RECOVERING);
                throw new Problems.SaleRecovering();
            }
            case Result.NotOpen notOpen -> {
                metrics.count(PurchaseOutcome.NOT_OPEN);
                throw new Problems.SaleNotOpen(Instant.ofEpochMilli(notOpen.opensAtMs()));
            }
            case Result.Ended ended -> {
                metrics.count(PurchaseOutcome.CLOSED);
                throw new Problems.SaleClosed("The sale has ended.");
            }
            case Result.Cancelled cancelled -> {
                metrics.count(PurchaseOutcome.CLOSED);
                throw new Problems.SaleClosed("The sale was cancelled.");
            }
            case Result.SeatedSale seated -> throw new Problems.SeatingMismatch(attempt.saleId(), true);
            case Result.NotArmed notArmed -> throw new IllegalStateException("sale " + attempt.saleId() + " is still not armed");
            case Result.SeatsHeld held -> throw new IllegalStateException("a unit purchase answered with seats: " + held);
            case Result.SeatsReplayed replayed -> throw new IllegalStateException("a unit purchase answered with seats: " + replayed);
            case Result.NotSeated notSeated -> throw new IllegalStateException("a unit purchase answered " + notSeated);
            case Result.SeatsTaken taken -> throw new IllegalStateException("a unit purchase answered " + taken);
            case Result.NotEnoughSeats notEnough -> throw new IllegalStateException("a unit purchase answered " + notEnough);
        }
    }

    private static PurchaseReceipt receipt(long saleId, String orderId, int quantity, long payByMs) {
        return new PurchaseReceipt(orderId, saleId, OrderStatus.PENDING_PAYMENT, quantity, Instant.ofEpochMilli(payByMs));
    }
}
