package io.miaosha.common.queue;

import io.miaosha.common.redis.LuaScript;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;
import java.util.List;

/** queue_join.lua: gives a shopper a ticket or finds the one it has; see the script's header. */
public final class QueueJoinScript {

    private static final LuaScript SCRIPT = LuaScript.fromClasspath("queue_join.lua");

    public sealed interface Result {
        /** Waiting with {@code ahead} people before it, read with the admissions and reorders counts (see QueueKeys#stats). */
        record Waiting(long ahead, long served, long reorders) implements Result {
        }

        /** Admitted earlier and still inside: this socket acknowledges the admission. */
        record Inside(long windowEndMs) implements Result {
        }

        /** Refused before any write. */
        record Refused(Refusal reason) implements Result {
        }

        /** Refused before any write: the shopper holds or bought {@code units}, the most a shopper may ({@code limit}). */
        record LimitReached(long units, long limit) implements Result {
        }
    }

    public enum Refusal { NOT_ARMED, NO_WAITING_ROOM, ENDED, CANCELLED, SOLD_OUT }

    private final ReactiveRedisDataSource redis;

    public QueueJoinScript(ReactiveRedisDataSource redis) {
        this.redis = redis;
    }

    public static List<String> keys(long saleId) {
        QueueKeys queue = new QueueKeys(saleId);
        return List.of(queue.sale().meta(), queue.sale().stock(), queue.waiting(), queue.joined(), queue.gone(),
                queue.connections(), queue.inside(), queue.sequence(), queue.stats(), queue.windows(),
                queue.sale().userUnits(), queue.sale().holdDeadlines());
    }

    /** {@code lottery}: this user's lottery fraction in (0, 1), its ticket when it joins before opening. */
    public Uni<Result> run(long saleId, long userId, long nowMs, double lottery) {
        return SCRIPT.call(redis, keys(saleId), List.of(Long.toString(userId), Long.toString(nowMs), Double.toString(lottery)))
                .map(QueueJoinScript::decode);
    }

    private static Result decode(Response r) {
        return switch (r.get(0).toInteger()) {
            case 1 -> new Result.Waiting(r.get(1).toLong(), r.get(2).toLong(), r.get(3).toLong());
            case 2 -> new Result.Inside(r.get(1).toLong());
            case -1 -> new Result.Refused(Refusal.NOT_ARMED);
            case -2 -> new Result.Refused(Refusal.NO_WAITING_ROOM);
            case -3 -> new Result.Refused(Refusal.ENDED);
            case -4 -> new Result.Refused(Refusal.CANCELLED);
            case -5 -> new Result.Refused(Refusal.SOLD_OUT);
            case -6 -> new Result.LimitReached(r.get(1).toLong(), r.get(2).toLong());
            default -> throw new IllegalStateException("queue_join.lua answered " + r);
        };
    }
}
