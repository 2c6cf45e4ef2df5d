package io.miaosha.gateway.pow;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import org.altcha.altcha.Altcha;

/**
 * Issues the challenge a browser solves before it joins a sale's waiting room (ALTCHA, SHA-256): a
 * random number below the current range, hidden in SHA-256(salt + number), signed with the gateway's
 * key. The salt carries the sale and the expiry, so a solution is good for one sale and a short
 * while; the range follows the sale's join rate ({@link Difficulty}), read from the two newest
 * one-second join counters that {@link JoinGate} writes. Reads only: issuing leaves no state.
 */
@ApplicationScoped
public class Challenges {

    private final ReactiveRedisDataSource redis;
    private final PowKey key;
    private final Difficulty difficulty;
    private final long expiresSeconds;

    public Challenges(ReactiveRedisDataSource redis, PowKey key, PowConfig config) {
        this.redis = redis;
        this.key = key;
        this.difficulty = Difficulty.of(config);
        this.expiresSeconds = Math.max(1, config.expires().toSeconds());
    }

    /** A fresh challenge for one sale, priced by the sale's current join rate. */
    public Uni<Altcha.Challenge> issue(long saleId) {
        long nowMs = System.currentTimeMillis();
        return joinsPerSecond(saleId, nowMs).map(rate -> create(saleId, difficulty.maxNumber(rate), nowMs));
    }

    /**
     * Joins in the last second: the larger of the current and the previous one-second counter, so the
     * price does not drop to the base at the start of every second.
     */
    Uni<Long> joinsPerSecond(long saleId, long nowMs) {
        PowKeys keys = new PowKeys(saleId);
        long second = nowMs / 1000;
        String current = keys.rate(second);
        String previous = keys.rate(second - 1);
        return redis.value(Long.class).mget(current, previous)
                .map(counts -> Math.max(orZero(counts, current), orZero(counts, previous)));
    }

    private static long orZero(Map<String, Long> counts, String key) {
        Long count = counts.get(key);
        return count == null ? 0 : count;
    }

    private Altcha.Challenge create(long saleId, long maxNumber, long nowMs) {
        try {
            return Altcha.createChallenge(new Altcha.ChallengeOptions()
                    .setHmacKey(key.value())
                    .setMaxNumber(maxNumber)
                    .setSecureRandomNumber(true)
                    .setExpires(nowMs / 1000 + expiresSeconds)
                    .addParam("sale", Long.toString(saleId)));
        } catch (Exception impossible) {
            throw new IllegalStateException("could not create a challenge", impossible);
        }
    }
}
