package io.miaosha.worker.expiry;

import io.miaosha.common.order.HoldDue;
import io.miaosha.common.sale.SaleKeys;
import io.miaosha.worker.sales.ArmedSales;
import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.sortedset.ScoredValue;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Releases every hold whose pay-by time is past, from each armed sale's hold-deadlines set. The
 * hold timer message does this at pay-by; when that message was parked, lost with a broker, or
 * never published (the relay died first), this sweep releases the hold a grace period later, so a
 * lost timer delays a release by seconds, never forever. Release is idempotent (release_hold.lua
 * acts only on a PENDING hold), so a sweep racing the timer, or two workers sweeping, return the
 * units once.
 */
@ApplicationScoped
public class HoldSweeper {

    private final ReactiveRedisDataSource redis;
    private final ArmedSales armedSales;
    private final HoldExpiry expiry;
    private final HoldSweepConfig config;
    /** Per sale, the time before which it has nothing due (nothing is written, so losing it costs one look). */
    private final Map<Long, Long> quietUntil = new ConcurrentHashMap<>();
    private final Map<Long, Long> holdMsBySale = new ConcurrentHashMap<>();

    public HoldSweeper(ReactiveRedisDataSource redis, ArmedSales armedSales, HoldExpiry expiry, HoldSweepConfig config) {
        this.redis = redis;
        this.armedSales = armedSales;
        this.expiry = expiry;
        this.config = config;
    }

    @Scheduled(every = "${miaosha.hold-sweep.every:15s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> sweepOnSchedule() {
        return sweep(System.currentTimeMillis()).onFailure().recoverWithItem(failure -> {
            Log.warnf("hold sweep failed, trying again next time: %s", failure.toString());
            return 0;
        }).replaceWithVoid();
    }

    /** Releases the holds overdue at {@code nowMs}; answers how many it settled. */
    public Uni<Integer> sweep(long nowMs) {
        long dueBefore = nowMs - config.grace().toMillis();
        Set<Long> seen = ConcurrentHashMap.newKeySet();
        return armedSales.ids()
                .invoke(seen::add)
                .onItem().transformToUniAndConcatenate(saleId -> sweepSale(saleId, nowMs, dueBefore))
                .collect().asList()
                .invoke(() -> {
                    quietUntil.keySet().retainAll(seen);
                    holdMsBySale.keySet().retainAll(seen);
                })
                .map(counts -> counts.stream().mapToInt(Integer::intValue).sum());
    }

    /**
     * A sale whose next deadline is not due is left alone until it is (or until a new hold could be,
     * now + its hold time, or at most {@code quiet-at-most}): a thousand ended sales with no holds left
     * cost a few commands a minute, not one per sale per sweep.
     */
    private Uni<Integer> sweepSale(long saleId, long nowMs, long dueBefore) {
        Long quiet = quietUntil.get(saleId);
        if (quiet != null && nowMs < quiet) {
            return Uni.createFrom().item(0);
        }
        SaleKeys keys = new SaleKeys(saleId);
        return holdMs(keys).chain(holdMs -> redis.sortedSet(String.class)
                .zrangeWithScores(keys.holdDeadlines(), 0, config.batch() - 1)
                .chain(earliest -> {
                    List<ScoredValue<String>> due = earliest.stream().filter(hold -> hold.score() <= dueBefore).toList();
                    if (due.isEmpty()) {
                        long next = earliest.isEmpty() ? Long.MAX_VALUE : (long) earliest.get(0).score() + config.grace().toMillis();
                        quietUntil.put(saleId, Math.min(next, Math.min(nowMs + holdMs, nowMs + config.quietAtMost().toMillis())));
                        return Uni.createFrom().item(0);
                    }
                    quietUntil.remove(saleId);
                    return Multi.createFrom().iterable(due)
                            .onItem().transformToUniAndConcatenate(hold -> settle(keys, new HoldDue(hold.value(), saleId, (long) hold.score())))
                            .collect().asList()
                            .map(settled -> (int) settled.stream().filter(Boolean::booleanValue).count());
                }));
    }

    /** The sale's hold time (meta hold_ms), read once: a new hold is due no sooner than that from now. */
    private Uni<Long> holdMs(SaleKeys keys) {
        Long known = holdMsBySale.get(keys.saleId());
        if (known != null) {
            return Uni.createFrom().item(known);
        }
        return redis.hash(String.class).hget(keys.meta(), "hold_ms").map(value -> {
            long holdMs = value == null ? 0L : Long.parseLong(value);
            if (value != null) {
                holdMsBySale.put(keys.saleId(), holdMs);
            }
            return holdMs;
        });
    }

    /**
     * The script drops the deadline when it releases; the sweep drops it again once MySQL has the
     * order EXPIRED too (an already-expired hold keeps its deadline until then). When that fails
     * (the order row is not written yet, MySQL is down) the deadline is put back, so the next sweep
     * tries again rather than leaving the order pending.
     */
    private Uni<Boolean> settle(SaleKeys keys, HoldDue due) {
        return Uni.createFrom().deferred(() -> expiry.expire(due))
                .chain(() -> redis.sortedSet(String.class).zrem(keys.holdDeadlines(), due.orderId()))
                .replaceWith(true)
                .onFailure().recoverWithUni(failure -> {
                    Log.debugf("hold %s not settled yet: %s", due.orderId(), failure.getMessage());
                    return redis.sortedSet(String.class)
                            .zadd(keys.holdDeadlines(), (double) due.payByMs(), due.orderId())
                            .replaceWith(false);
                });
    }
}
