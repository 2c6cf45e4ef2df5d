package io.miaosha.common.sale;

import io.miaosha.common.redis.LuaScript;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;
import java.util.List;

/** release_hold.lua: returns an unpaid hold's units once its pay-by time has passed; see the script's header. */
public final class ReleaseHoldScript {

    private static final LuaScript SCRIPT = LuaScript.fromClasspath("release_hold.lua");

    public sealed interface Result {
        /** Released now: the units are back in stock and in the user's allowance. */
        record Released(long userId, int quantity, long unitsLeft) implements Result {
        }

        /** Released before (a redelivery): nothing changed. */
        record AlreadyExpired(long userId) implements Result {
        }

        /** Paid: nothing changed. */
        record Paid(long userId) implements Result {
        }

        /** The sale's hot state does not know the hold. */
        record NoSuchHold() implements Result {
        }

        /** Its pay-by time has not come: the caller tries again later. */
        record NotDue(long payByMs) implements Result {
        }
    }

    private final ReactiveRedisDataSource redis;

    public ReleaseHoldScript(ReactiveRedisDataSource redis) {
        this.redis = redis;
    }

    public static List<String> keys(long saleId) {
        SaleKeys sale = new SaleKeys(saleId);
        return List.of(sale.stock(), sale.userUnits(), sale.holds(), sale.holdDeadlines(), sale.tally(),
                sale.seats(), sale.holdSeats(), sale.seatChanges());
    }

    public Uni<Result> run(long saleId, String orderId, long nowMs) {
        return SCRIPT.call(redis, keys(saleId), List.of(orderId, Long.toString(nowMs),
                Integer.toString(SaleKeys.SEAT_CHANGES_KEPT))).map(ReleaseHoldScript::decode);
    }

    private static Result decode(Response response) {
        return switch (response.get(0).toInteger()) {
            case 1 -> new Result.Released(response.get(1).toLong(), response.get(2).toInteger(), response.get(3).toLong());
            case 0 -> new Result.AlreadyExpired(response.get(1).toLong());
            case 2 -> new Result.Paid(response.get(1).toLong());
            case -1 -> new Result.NoSuchHold();
            case -3 -> new Result.NotDue(response.get(1).toLong());
            default -> throw new IllegalStateException("release_hold.lua answered " + response);
        };
    }
}
