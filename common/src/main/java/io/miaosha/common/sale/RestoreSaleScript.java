package io.miaosha.common.sale;

import io.miaosha.common.redis.LuaScript;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** restore_sale.lua: rebuilds a recovering sale's hot state from MySQL's orders; see the script's header. */
public final class RestoreSaleScript {

    private static final LuaScript SCRIPT = LuaScript.fromClasspath("restore_sale.lua");

    /** How a hold of an order MySQL has comes back in Redis. */
    public enum HoldStatus { PENDING, PAID, EXPIRED }

    /**
     * One order of the sale as MySQL records it; {@code idempotencyKey} and {@code paymentId} may be null.
     * A seat pick's order names its seats (positions, from order_seats) and its exact total; an order of
     * units has no seats.
     */
    public record Order(String orderId, long userId, int quantity, long payByMs, HoldStatus status, String paymentId,
            long createdAtMs, String idempotencyKey, String fingerprint, long amountMinor, List<Integer> seatPositions) {

        public Order {
            seatPositions = seatPositions == null ? List.of() : List.copyOf(seatPositions);
        }

        /** An order of units. */
        public Order(String orderId, long userId, int quantity, long payByMs, HoldStatus status, String paymentId,
                long createdAtMs, String idempotencyKey, String fingerprint) {
            this(orderId, userId, quantity, payByMs, status, paymentId, createdAtMs, idempotencyKey, fingerprint, 0, List.of());
        }
    }

    public sealed interface Result {
        /**
         * Rebuilt now; {@code lateAdopted} orders were persisted after MySQL was read and are counted too;
         * {@code seatConflicts}: seats two live orders claim (sold twice, in the window recovery cannot close).
         */
        record Restored(long ordersRestored, long lateAdopted, long unitsLeft, long seatConflicts) implements Result {
        }

        /** The sale was not recovering (another instance restored it first): nothing changed. */
        record NotRecovering() implements Result {
        }
    }

    private final ReactiveRedisDataSource redis;

    public RestoreSaleScript(ReactiveRedisDataSource redis) {
        this.redis = redis;
    }

    /** The sale's keys (its seat keys last); the scripts add one idempotency record name per order after them. */
    public static List<String> keys(long saleId) {
        SaleKeys sale = new SaleKeys(saleId);
        return List.of(sale.meta(), sale.stock(), sale.userUnits(), sale.holds(), sale.holdDeadlines(),
                sale.recoveryLate(), sale.idempotencyKeys(), sale.tally(), sale.seats(), sale.seatLayout(),
                sale.holdSeats(), sale.seatChanges());
    }

    /** "p1,p2,..." as the seat scripts write a hold's seats; "" for none. */
    static String seatList(List<Integer> positions) {
        return positions == null ? "" : positions.stream().map(String::valueOf).collect(Collectors.joining(","));
    }

    /** The name of an order's idempotency record, or a name nothing is written to when it had no key. */
    static String idempotencyRecord(SaleKeys sale, long userId, String idempotencyKey) {
        return sale.idempotency(userId, idempotencyKey == null ? "-" : idempotencyKey);
    }

    /** {@code unitsLeft}: the sale's total minus the PENDING and PAID units among {@code orders}. */
    public Uni<Result> run(long saleId, long unitsLeft, long idempotencyTtlSeconds, List<Order> orders) {
        SaleKeys sale = new SaleKeys(saleId);
        List<String> keys = new ArrayList<>(keys(saleId));
        List<String> args = new ArrayList<>(4 + orders.size() * 11);
        args.add(Long.toString(System.currentTimeMillis()));
        args.add(Long.toString(unitsLeft));
        args.add(Long.toString(idempotencyTtlSeconds));
        args.add(Integer.toString(SaleKeys.SEAT_CHANGES_KEPT));
        for (Order order : orders) {
            keys.add(idempotencyRecord(sale, order.userId(), order.idempotencyKey()));
            args.add(order.orderId());
            args.add(Long.toString(order.userId()));
            args.add(Integer.toString(order.quantity()));
            args.add(Long.toString(order.payByMs()));
            args.add(order.status().name());
            args.add(order.paymentId() == null ? "" : order.paymentId());
            args.add(Long.toString(order.createdAtMs()));
            args.add(order.idempotencyKey() == null ? "" : order.idempotencyKey());
            args.add(order.fingerprint() == null ? "" : order.fingerprint());
            args.add(Long.toString(order.amountMinor()));
            args.add(seatList(order.seatPositions()));
        }
        return SCRIPT.call(redis, keys, args).map(RestoreSaleScript::decode);
    }

    private static Result decode(Response response) {
        if (response.get(0).toInteger() == 0) {
            return new Result.NotRecovering();
        }
        return new Result.Restored(response.get(1).toLong(), response.get(2).toLong(), response.get(3).toLong(),
                response.get(4).toLong());
    }
}
