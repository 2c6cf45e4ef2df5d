package io.miaosha.api.purchase;

import io.miaosha.common.admission.AdmissionTokenCodec;
import io.miaosha.common.redis.LuaScript;
import io.miaosha.common.sale.SaleKeys;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** Typed access to purchase.lua (see its header for keys, arguments and return values). */
@ApplicationScoped
public class PurchaseScript {

    private static final LuaScript SCRIPT = LuaScript.fromClasspath("purchase.lua");

    private final ReactiveRedisDataSource redis;
    private final String idempotencyTtlSeconds;
    private final AdmissionTokenCodec admissions;

    public PurchaseScript(ReactiveRedisDataSource redis, PurchaseConfig config, AdmissionTokenCodec admissions) {
        this.redis = redis;
        this.admissions = admissions;
        this.idempotencyTtlSeconds = Long.toString(config.idempotencyTtl().toSeconds());
    }

    public Uni<Result> run(PurchaseAttempt attempt, String orderId, long nowMs) {
        SaleKeys keys = new SaleKeys(attempt.saleId());
        boolean hasKey = attempt.idempotencyKey() != null;
        return SCRIPT.call(redis, keys.purchaseKeys(attempt.userId(), attempt.idempotencyKey()), List.of(
                        Long.toString(attempt.userId()), Integer.toString(attempt.quantity()), orderId,
                        Long.toString(nowMs), hasKey ? "1" : "0", idempotencyTtlSeconds, Long.toString(attempt.saleId()),
                        admissionId(attempt.admissionToken())))
                .map(Result::of);
    }

    /** The token id the script records; the admission gate has verified the token before this runs. */
    private String admissionId(String token) {
        return token == null ? "" : admissions.verify(token).id();
    }

    /** The script's answer: a code and up to two values, as its header documents. */
    public record Result(int code, String answer, long first, long second) {

        public static final int ACCEPTED = 1;
        public static final int REPLAYED = 2;
        public static final int NOT_ARMED = -1;
        public static final int NOT_OPEN = -2;
        public static final int ENDED = -3;
        public static final int CANCELLED = -4;
        public static final int SOLD_OUT = -5;
        public static final int NOT_ENOUGH_STOCK = -6;
        public static final int LIMIT_REACHED = -7;
        public static final int ADMISSION_REQUIRED = -8;
        public static final int ADMISSION_USED = -9;

        static Result of(Response response) {
            int code = response.get(0).toInteger();
            return switch (code) {
                case ACCEPTED -> new Result(code, response.get(1).toString(), response.get(2).toLong(), 0);
                case REPLAYED -> new Result(code, response.get(1).toString(), 0, 0);
                case NOT_OPEN, SOLD_OUT, NOT_ENOUGH_STOCK -> new Result(code, null, response.get(1).toLong(), 0);
                case LIMIT_REACHED -> new Result(code, null, response.get(1).toLong(), response.get(2).toLong());
                default -> new Result(code, null, 0, 0);
            };
        }
    }
}
