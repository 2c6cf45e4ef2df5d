package io.miaosha.api.account;

import io.miaosha.common.text.Digests;
import io.miaosha.api.problem.Problems;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Limits log-in attempts per account and per client address, in Redis so that every instance
 * counts together. An attempt is counted before its password is checked (so concurrent guesses
 * cannot all slip past the limit) and taken back when the password was right, which leaves only
 * failures counting. Unknown emails are counted like known ones: the throttle must not tell which
 * accounts exist. The counters are single keys, each its own Lua call: in Redis Cluster the
 * account's and the address's keys live on different shards.
 */
@ApplicationScoped
public class LoginThrottle {

    private final LoginAttemptScript attempts;
    private final LoginRefundScript refunds;
    private final AccountConfig.Login config;

    public LoginThrottle(ReactiveRedisDataSource redis, AccountConfig config) {
        this.attempts = new LoginAttemptScript(redis);
        this.refunds = new LoginRefundScript(redis);
        this.config = config.login();
    }

    /** The two counters of one attempt, to take back with {@link #succeeded}. */
    public record Attempt(String accountKey, String addressKey) {
    }

    /** Counts the attempt, or fails with {@link Problems.TooManyLogins} when the account or the address is over its limit. */
    public Uni<Attempt> begin(EmailAddress email, String clientAddress) {
        Attempt attempt = new Attempt(accountKey(email), addressKey(clientAddress));
        long window = config.window().toMillis();
        return Uni.combine().all()
                .unis(attempts.run(attempt.accountKey(), window), attempts.run(attempt.addressKey(), window))
                .asTuple()
                .map(counts -> {
                    long waitMs = Math.max(over(counts.getItem1(), config.maxPerAccount()),
                            over(counts.getItem2(), config.maxPerAddress()));
                    if (waitMs > 0) {
                        throw new Problems.TooManyLogins(Math.max(1, (waitMs + 999) / 1000));
                    }
                    return attempt;
                });
    }

    public Uni<Void> succeeded(Attempt attempt) {
        return Uni.combine().all()
                .unis(refunds.run(attempt.accountKey()), refunds.run(attempt.addressKey()))
                .discardItems();
    }

    /** The ms left in the window when the count is past the limit, else 0. */
    private static long over(LoginAttemptScript.Count count, int limit) {
        return count.attempts() > limit ? Math.max(1, count.msLeft()) : 0;
    }

    /** Hashed: Redis (and whoever reads its keys) need not hold the emails. */
    public static String accountKey(EmailAddress email) {
        return "login:{account:" + Digests.sha256Hex(email.value(), 16) + "}";
    }

    public static String addressKey(String clientAddress) {
        return "login:{address:" + clientAddress + "}";
    }

}
