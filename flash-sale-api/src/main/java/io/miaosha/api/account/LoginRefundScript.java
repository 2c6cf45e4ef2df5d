package io.miaosha.api.account;

import io.miaosha.common.redis.LuaScript;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import java.util.List;

/** login_refund.lua: takes back the attempt of a log-in whose password was right; see the script's header. */
final class LoginRefundScript {

    private static final LuaScript SCRIPT = LuaScript.fromClasspath("login_refund.lua");

    private final ReactiveRedisDataSource redis;

    LoginRefundScript(ReactiveRedisDataSource redis) {
        this.redis = redis;
    }

    Uni<Void> run(String counter) {
        return SCRIPT.call(redis, List.of(counter), List.of()).replaceWithVoid();
    }
}
