package io.miaosha.common.sale;

import io.miaosha.common.events.OutboxWake;
import io.miaosha.common.redis.LuaScript;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;
import java.util.List;

/** pay.lua: marks a hold paid, atomically with the decision that it may still be paid; see the script's header. */
public final class PayScript {

    private static final LuaScript SCRIPT = LuaScript.fromClasspath("pay.lua");

    public sealed interface Result {
        /** Paid now: an OrderPaid entry is in the sale's outbox. */
        record Paid(String paymentId) implements Result {
        }

        /** Paid before, by this payment id: nothing changed. */
        record AlreadyPaid(String paymentId) implements Result {
        }

        /** No hold of this user has this order id. */
        record NoSuchHold() implements Result {
        }

        /** Released, or past its pay-by time. */
        record Expired() implements Result {
        }

        /** The sale was cancelled: the caller refunds its charge. */
        record SaleCancelled() implements Result {
        }
    }

    private final ReactiveRedisDataSource redis;

    public PayScript(ReactiveRedisDataSource redis) {
        this.redis = redis;
    }

    public static List<String> keys(long saleId) {
        SaleKeys sale = new SaleKeys(saleId);
        return List.of(sale.meta(), sale.holds(), sale.holdDeadlines(), sale.outbox(), sale.tally(),
                sale.seats(), sale.holdSeats(), sale.seatChanges());
    }

    public Uni<Result> run(long saleId, String orderId, long userId, String paymentId, long nowMs) {
        return SCRIPT.call(redis, keys(saleId), List.of(orderId, Long.toString(userId), Long.toString(nowMs), paymentId,
                        Long.toString(saleId), OutboxWake.CHANNEL, Integer.toString(SaleKeys.SEAT_CHANGES_KEPT)))
                .map(PayScript::decode);
    }

    private static Result decode(Response response) {
        return switch (response.get(0).toInteger()) {
            case 1 -> new Result.Paid(response.get(1).toString());
            case 2 -> new Result.AlreadyPaid(response.get(1).toString());
            case -1 -> new Result.NoSuchHold();
            case -2 -> new Result.Expired();
            case -3 -> new Result.SaleCancelled();
            default -> throw new IllegalStateException("pay.lua answered " + response);
        };
    }
}
