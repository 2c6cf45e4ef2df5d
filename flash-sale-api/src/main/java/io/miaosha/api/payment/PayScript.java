package io.miaosha.api.payment;

import io.miaosha.common.redis.LuaScript;
import io.miaosha.common.sale.SaleKeys;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** Typed access to pay.lua (see its header for keys, arguments and return values). */
@ApplicationScoped
public class PayScript {

    private static final LuaScript SCRIPT = LuaScript.fromClasspath("pay.lua");

    public static final int PAID = 1;
    public static final int ALREADY_PAID = 2;
    public static final int NO_SUCH_HOLD = -1;
    public static final int EXPIRED = -2;

    private final ReactiveRedisDataSource redis;

    public PayScript(ReactiveRedisDataSource redis) {
        this.redis = redis;
    }

    /** The script's code and, when paid, the payment id that paid the hold. */
    public record Result(int code, String paymentId) {
    }

    public Uni<Result> run(long saleId, String orderId, long userId, String paymentId, long nowMs) {
        return SCRIPT.call(redis, new SaleKeys(saleId).payKeys(), List.of(orderId, Long.toString(userId),
                        Long.toString(nowMs), paymentId, Long.toString(saleId)))
                .map(response -> new Result(response.get(0).toInteger(),
                        response.size() > 1 ? response.get(1).toString() : null));
    }
}
