package io.miaosha.common.retire;

import io.miaosha.common.queue.QueueKeys;
import io.miaosha.common.redis.LuaScript;
import io.miaosha.common.sale.SaleKeys;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;
import java.util.List;

/**
 * retire_sale.lua: deletes an ended sale's hot state once nothing in it can change; see the script's
 * header. Its own package because it spans the sale's and the waiting room's keys.
 */
public final class RetireSaleScript {

    private static final LuaScript SCRIPT = LuaScript.fromClasspath("retire_sale.lua");

    /** What MySQL holds of the sale's orders: all of them, and those still waiting for payment. */
    public record MySqlOrders(long orders, long pendingPayment) {
    }

    public sealed interface Result {
        /** Every key of the sale is gone; {@code unitsLeft} were never sold. */
        record Retired(long unitsLeft) implements Result {
        }

        /** The sale has no hot state (never armed, or retired before). */
        record NothingToRetire() implements Result {
        }

        record NotClosedLongEnough(long closesAtMs) implements Result {
        }

        record HoldsPending(long holds) implements Result {
        }

        record OutboxNotDrained(long entries) implements Result {
        }

        /** MySQL misses some orders, or has some still pending payment. */
        record OrdersNotSettled(long orders) implements Result {
        }
    }

    private final ReactiveRedisDataSource redis;

    public RetireSaleScript(ReactiveRedisDataSource redis) {
        this.redis = redis;
    }

    /** The checked keys first (meta, stock, holds, hold deadlines, outbox), then every other key of the sale. */
    public static List<String> keys(long saleId) {
        SaleKeys sale = new SaleKeys(saleId);
        QueueKeys queue = new QueueKeys(sale);
        return List.of(sale.meta(), sale.stock(), sale.holds(), sale.holdDeadlines(), sale.outbox(),
                sale.userUnits(), sale.idempotencyKeys(), sale.tally(), sale.recoveryLate(), queue.waiting(), queue.joined(), queue.gone(),
                queue.connections(), queue.inside(), queue.windows(), queue.sequence(), queue.stats(), queue.lease(),
                queue.admissionsUsed(), queue.draw(), queue.drawEntrants(),
                sale.seats(), sale.seatLayout(), sale.holdSeats(), sale.seatChanges());
    }

    public Uni<Result> run(long saleId, long nowMs, long graceMs, MySqlOrders mysql) {
        return SCRIPT.call(redis, keys(saleId), List.of(Long.toString(nowMs), Long.toString(graceMs),
                Long.toString(mysql.orders()), Long.toString(mysql.pendingPayment()))).map(RetireSaleScript::decode);
    }

    private static Result decode(Response response) {
        return switch (response.get(0).toInteger()) {
            case 1 -> new Result.Retired(response.get(1).toLong());
            case 0 -> new Result.NothingToRetire();
            case -1 -> new Result.NotClosedLongEnough(response.get(1).toLong());
            case -2 -> new Result.HoldsPending(response.get(1).toLong());
            case -3 -> new Result.OutboxNotDrained(response.get(1).toLong());
            case -4 -> new Result.OrdersNotSettled(response.get(1).toLong());
            default -> throw new IllegalStateException("retire_sale.lua answered " + response);
        };
    }
}
