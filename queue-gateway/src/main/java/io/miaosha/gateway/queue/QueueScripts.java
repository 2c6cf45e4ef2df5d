package io.miaosha.gateway.queue;

import io.miaosha.common.queue.QueueKeys;
import io.miaosha.common.queue.QueueStatus;
import io.miaosha.common.redis.LuaScript;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** Typed calls of the waiting room's Lua scripts (see each script's header for keys and answers). */
@ApplicationScoped
public class QueueScripts {

    private static final LuaScript JOIN = LuaScript.fromClasspath("queue_join.lua");
    private static final LuaScript DISCONNECT = LuaScript.fromClasspath("queue_disconnect.lua");
    private static final LuaScript LEAVE = LuaScript.fromClasspath("queue_leave.lua");
    private static final LuaScript ADMIT = LuaScript.fromClasspath("queue_admit.lua");
    private static final LuaScript STATUS = LuaScript.fromClasspath("queue_status.lua");
    private static final LuaScript RANK = LuaScript.fromClasspath("queue_rank.lua");
    private static final LuaScript LEASE = LuaScript.fromClasspath("queue_lease.lua");
    private static final LuaScript ACK = LuaScript.fromClasspath("queue_ack.lua");

    private final ReactiveRedisDataSource redis;

    public QueueScripts(ReactiveRedisDataSource redis) {
        this.redis = redis;
    }

    /**
     * The join script's answer: code 1 waiting (first = ahead, second = served, third = reorders),
     * 2 inside (first = window end).
     */
    public record Joined(int code, long first, long second, long third) {
        public static final int WAITING = 1;
        public static final int INSIDE = 2;
        public static final int NOT_ARMED = -1;
        public static final int ENDED = -3;
        public static final int CANCELLED = -4;
        public static final int SOLD_OUT = -5;
    }

    public Uni<Joined> join(long saleId, long userId, long nowMs, double lottery) {
        return JOIN.call(redis, new QueueKeys(saleId).joinKeys(),
                        List.of(Long.toString(userId), Long.toString(nowMs), Double.toString(lottery)))
                .map(r -> new Joined(r.get(0).toInteger(), r.size() > 1 ? r.get(1).toLong() : 0,
                        r.size() > 2 ? r.get(2).toLong() : 0, r.size() > 3 ? r.get(3).toLong() : 0));
    }

    public Uni<Void> disconnect(long saleId, long userId, long graceEndMs) {
        return DISCONNECT.call(redis, new QueueKeys(saleId).disconnectKeys(),
                List.of(Long.toString(userId), Long.toString(graceEndMs))).replaceWithVoid();
    }

    public Uni<Boolean> leave(long saleId, long userId) {
        return LEAVE.call(redis, new QueueKeys(saleId).leaveKeys(), List.of(Long.toString(userId)))
                .map(r -> r.toInteger() == 1);
    }

    /** {admitted, windows over, places lost, finished}. */
    public Uni<Response> admit(long saleId, long nowMs, long rateTimeConstantMs, int stepLimit, long ackMs) {
        return ADMIT.call(redis, new QueueKeys(saleId).admitKeys(), List.of(Long.toString(nowMs),
                Long.toString(rateTimeConstantMs), Integer.toString(stepLimit), Long.toString(saleId),
                QueueKeys.QUEUE_EVENTS_CHANNEL, Long.toString(ackMs)));
    }

    public Uni<Void> ack(long saleId, long userId) {
        return ACK.call(redis, new QueueKeys(saleId).ackKeys(), List.of(Long.toString(userId))).replaceWithVoid();
    }

    public Uni<QueueStatus> status(long saleId) {
        return STATUS.call(redis, new QueueKeys(saleId).statusKeys(), List.of()).map(QueueStatus::of);
    }

    /** {ahead or -1, served, reorders}. */
    public Uni<long[]> rank(long saleId, long userId) {
        return RANK.call(redis, new QueueKeys(saleId).rankKeys(), List.of(Long.toString(userId)))
                .map(r -> new long[] {r.get(0).toLong(), r.get(1).toLong(), r.get(2).toLong()});
    }

    public Uni<Boolean> lease(long saleId, String instanceId, long leaseMs) {
        return LEASE.call(redis, List.of(new QueueKeys(saleId).lease()), List.of(instanceId, Long.toString(leaseMs)))
                .map(r -> r.toInteger() == 1);
    }
}
