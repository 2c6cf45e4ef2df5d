package io.miaosha.gateway.pow;

import io.miaosha.common.redis.LuaScript;
import io.miaosha.common.sale.SaleKeys;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * Decides whether a socket may join: its ALTCHA solution must check out ({@link Solutions}, CPU only)
 * and be spent for the first time, and the account and the client address must be within their join
 * limits (pow_redeem.lua, one round trip on the sale's shard, which also counts the join for the
 * difficulty). Runs before the join script, so a refused socket leaves no queue state.
 */
@ApplicationScoped
public class JoinGate {

    private static final LuaScript REDEEM = LuaScript.fromClasspath("pow_redeem.lua");
    /** A rate counter is read for two seconds at most; a little more covers clock steps between instances. */
    private static final long RATE_BUCKET_MS = 5_000;

    /**
     * The answer for one socket. NO_WAITING_ROOM: nothing to join (the join script, which writes nothing
     * for such a sale, says why), so the solution was not spent.
     */
    public enum Verdict {
        ACCEPTED, NO_WAITING_ROOM, MISSING, INVALID, EXPIRED, OTHER_SALE, REPLAYED, ACCOUNT_LIMIT, ADDRESS_LIMIT
    }

    private final ReactiveRedisDataSource redis;
    private final PowKey key;
    private final PowConfig config;

    public JoinGate(ReactiveRedisDataSource redis, PowKey key, PowConfig config) {
        this.redis = redis;
        this.key = key;
        this.config = config;
    }

    public Uni<Verdict> admit(long saleId, long userId, JoinProof proof) {
        long nowMs = System.currentTimeMillis();
        Solutions.Checked checked = Solutions.check(proof == null ? null : proof.solution(), saleId, key.value(), nowMs);
        Verdict early = switch (checked.check()) {
            case VALID -> null;
            case MISSING -> Verdict.MISSING;
            case EXPIRED -> Verdict.EXPIRED;
            case OTHER_SALE -> Verdict.OTHER_SALE;
            case MALFORMED, WRONG_ALGORITHM, INVALID -> Verdict.INVALID;
        };
        if (early != null) {
            return Uni.createFrom().item(early);
        }
        PowKeys keys = new PowKeys(saleId);
        long usedMs = Math.max(1_000, checked.expiresAtSecond() * 1000 - nowMs + 1_000);
        List<String> redisKeys = List.of(keys.used(checked.challenge()), keys.account(userId),
                keys.address(proof.address()), keys.rate(nowMs / 1000), new SaleKeys(saleId).meta());
        List<String> args = List.of(Long.toString(usedMs), Integer.toString(Math.max(0, config.joinsPerAccount())),
                Integer.toString(Math.max(0, config.joinsPerAddress())), Long.toString(config.limitWindow().toMillis()),
                Long.toString(RATE_BUCKET_MS), Long.toString(nowMs));
        return REDEEM.call(redis, redisKeys, args).map(JoinGate::verdict);
    }

    private static Verdict verdict(Response answer) {
        return switch (answer.get(0).toInteger()) {
            case 0 -> Verdict.ACCEPTED;
            case 1 -> Verdict.REPLAYED;
            case 2 -> Verdict.ACCOUNT_LIMIT;
            case 3 -> Verdict.ADDRESS_LIMIT;
            case 4 -> Verdict.NO_WAITING_ROOM;
            default -> throw new IllegalStateException("pow_redeem.lua answered " + answer);
        };
    }

    public int joinsPerAccount() {
        return config.joinsPerAccount();
    }

    public int joinsPerAddress() {
        return config.joinsPerAddress();
    }

    public long limitWindowSeconds() {
        return config.limitWindow().toSeconds();
    }
}
