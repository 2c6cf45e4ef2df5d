package io.miaosha.api.account;

import io.miaosha.common.redis.LuaScript;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import java.util.List;

/** login_attempt.lua: counts one log-in attempt on one counter before the password is checked; see the script's header. */
final class LoginAttemptScript {

    private static final LuaScript SCRIPT = LuaScript.fromClasspath("login_attempt.lua");

    /** Attempts in the current window, this one included, and the time until the window ends. */
    record Count(long attempts, long msLeft) {
    }

    private final ReactiveRedisDataSource redis;

    LoginAttemptScript(ReactiveRedisDataSource redis) {
        this.redis = redis;
    }

    /** {@code counter}: one of {@link LoginThrottle#accountKey} or {@link LoginThrottle#addressKey}, each on its own slot. */
    Uni<Count> run(String counter, long windowMs) {
        return SCRIPT.call(redis, List.of(counter), List.of(Long.toString(windowMs)))
                .map(r -> new Count(r.get(0).toLong(), r.get(1).toLong()));
    }
}
