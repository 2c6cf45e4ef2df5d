package io.miaosha.api.purchase;

import io.miaosha.api.arming.SaleArmer;
import io.miaosha.api.problem.Problem;
import io.miaosha.api.problem.Problems;
import io.miaosha.common.order.OrderIds;
import io.miaosha.common.order.OrderStatus;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.time.Instant;
import java.util.List;

/**
 * The hot path: gates, then one Lua script in one Redis round trip. Everything else (the order row,
 * emails) happens later from the sale's outbox stream, so an accepted purchase costs one round trip.
 */
@ApplicationScoped
public class PurchaseService {

    private final PurchaseScript script;
    private final SoldOutMemory soldOut;
    private final SaleArmer armer;
    private final PurchaseMetrics metrics;
    private final PurchaseConfig config;
    private final List<PurchaseGate> gates;

    public PurchaseService(PurchaseScript script, SoldOutMemory soldOut, SaleArmer armer, PurchaseMetrics metrics,
            PurchaseConfig config, Instance<PurchaseGate> gates) {
        this.script = script;
        this.soldOut = soldOut;
        this.armer = armer;
        this.metrics = metrics;
        this.config = config;
        this.gates = gates.stream().toList();
    }

    public Uni<PurchaseReceipt> purchase(PurchaseAttempt attempt) {
        if (attempt.quantity() > config.maxQuantity()) {
            throw new Problems.InvalidRequest("quantity must be at most " + config.maxQuantity());
        }
        if (soldOut.isSoldOut(attempt.saleId())) {
            metrics.count(PurchaseOutcome.SOLD_OUT_FROM_MEMORY);
            throw new Problems.SoldOut();
        }
        for (PurchaseGate gate : gates) {
            try {
                gate.check(attempt);
            } catch (Problem refused) {
                metrics.count(PurchaseOutcome.REFUSED_BY_GATE);
                throw refused;
            }
        }
        String orderId = OrderIds.next();
        return script.run(attempt, orderId, System.currentTimeMillis())
                .chain(result -> result.code() == PurchaseScript.Result.NOT_ARMED
                        // A sale nobody armed yet (or whose hot state Redis lost): arm it and ask once more.
                        ? armer.armById(attempt.saleId()).chain(() -> script.run(attempt, orderId, System.currentTimeMillis()))
                        : Uni.createFrom().item(result))
                .onFailure(Problems.NotFound.class).invoke(() -> metrics.count(PurchaseOutcome.NOT_FOUND))
                .map(result -> receipt(attempt, result));
    }

    private PurchaseReceipt receipt(PurchaseAttempt attempt, PurchaseScript.Result result) {
        switch (result.code()) {
            case PurchaseScript.Result.ACCEPTED -> {
                metrics.count(PurchaseOutcome.ACCEPTED);
                if (result.first() == 0) {
                    soldOut.remember(attempt.saleId());
                }
                return parse(attempt.saleId(), result.answer());
            }
            case PurchaseScript.Result.REPLAYED -> {
                metrics.count(PurchaseOutcome.REPLAYED);
                return parse(attempt.saleId(), result.answer());
            }
            case PurchaseScript.Result.SOLD_OUT -> {
                metrics.count(PurchaseOutcome.SOLD_OUT);
                soldOut.remember(attempt.saleId());
                throw new Problems.SoldOut();
            }
            case PurchaseScript.Result.NOT_ENOUGH_STOCK -> {
                metrics.count(PurchaseOutcome.NOT_ENOUGH_STOCK);
                throw new Problems.NotEnoughStock(result.first());
            }
            case PurchaseScript.Result.LIMIT_REACHED -> {
                metrics.count(PurchaseOutcome.LIMIT_REACHED);
                throw new Problems.LimitReached(result.first(), result.second());
            }
            case PurchaseScript.Result.ADMISSION_REQUIRED -> {
                metrics.count(PurchaseOutcome.REFUSED_BY_GATE);
                throw new Problems.AdmissionRequired();
            }
            case PurchaseScript.Result.ADMISSION_USED -> {
                metrics.count(PurchaseOutcome.REFUSED_BY_GATE);
                throw new Problems.AdmissionInvalid("it was already used for a purchase, or you are no longer inside"
                        + " (you left or your window ended)");
            }
            case PurchaseScript.Result.NOT_OPEN -> {
                metrics.count(PurchaseOutcome.NOT_OPEN);
                throw new Problems.SaleNotOpen(Instant.ofEpochMilli(result.first()));
            }
            case PurchaseScript.Result.ENDED -> {
                metrics.count(PurchaseOutcome.CLOSED);
                throw new Problems.SaleClosed("The sale has ended.");
            }
            case PurchaseScript.Result.CANCELLED -> {
                metrics.count(PurchaseOutcome.CLOSED);
                throw new Problems.SaleClosed("The sale was cancelled.");
            }
            default -> throw new IllegalStateException("purchase script answered " + result.code());
        }
    }

    /** Parses the script's "orderId|quantity|payBy" answer. */
    private static PurchaseReceipt parse(long saleId, String answer) {
        int first = answer.indexOf('|');
        int second = answer.indexOf('|', first + 1);
        return new PurchaseReceipt(answer.substring(0, first), saleId, OrderStatus.PENDING_PAYMENT,
                Integer.parseInt(answer.substring(first + 1, second)),
                Instant.ofEpochMilli(Long.parseLong(answer.substring(second + 1))));
    }
}
