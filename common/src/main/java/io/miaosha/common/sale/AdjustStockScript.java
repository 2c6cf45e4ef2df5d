package io.miaosha.common.sale;

import io.miaosha.common.redis.LuaScript;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;
import java.util.List;

/** adjust_stock.lua: changes an armed sale's total stock without touching what is sold; see the script's header. */
public final class AdjustStockScript {

    private static final LuaScript SCRIPT = LuaScript.fromClasspath("adjust_stock.lua");

    public sealed interface Result {
        record Adjusted(long unitsLeft) implements Result {
        }

        record NotArmed() implements Result {
        }

        /** The new total is below the units already held or paid: nothing changed. */
        record BelowCommitted(long unitsCommitted) implements Result {
        }
    }

    private final ReactiveRedisDataSource redis;

    public AdjustStockScript(ReactiveRedisDataSource redis) {
        this.redis = redis;
    }

    public static List<String> keys(long saleId) {
        SaleKeys sale = new SaleKeys(saleId);
        return List.of(sale.meta(), sale.stock());
    }

    public Uni<Result> run(long saleId, int newTotal) {
        return SCRIPT.call(redis, keys(saleId), List.of(Integer.toString(newTotal))).map(AdjustStockScript::decode);
    }

    private static Result decode(Response response) {
        return switch (response.get(0).toInteger()) {
            case 1 -> new Result.Adjusted(response.get(1).toLong());
            case -1 -> new Result.NotArmed();
            case -2 -> new Result.BelowCommitted(response.get(1).toLong());
            default -> throw new IllegalStateException("adjust_stock.lua answered " + response);
        };
    }
}
