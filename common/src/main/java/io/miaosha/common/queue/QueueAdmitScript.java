package io.miaosha.common.queue;

import io.miaosha.common.events.QueueEvent;
import io.miaosha.common.redis.LuaScript;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import java.util.List;

/** queue_admit.lua: one tick of a sale's admission loop; see the script's header. */
public final class QueueAdmitScript {

    private static final LuaScript SCRIPT = LuaScript.fromClasspath("queue_admit.lua");

    /**
     * What one tick did. {@code finished}: the sale is over (ended or cancelled; never merely not armed) and
     * nobody waits or is inside, so the gateways may stop ticking it.
     */
    public record Result(long admitted, long windowsOver, long placesLost, boolean finished) {
    }

    /**
     * @param rateTimeConstantMs time constant of the admission-rate average
     * @param stepLimit          most users one step handles (bounds the script's run time)
     * @param ackMs              how long an admission holds its slot unless a gateway with the shopper's socket acknowledges it
     */
    public record Tick(long nowMs, long rateTimeConstantMs, int stepLimit, long ackMs) {
    }

    private final ReactiveRedisDataSource redis;

    public QueueAdmitScript(ReactiveRedisDataSource redis) {
        this.redis = redis;
    }

    public static List<String> keys(long saleId) {
        QueueKeys queue = new QueueKeys(saleId);
        return List.of(queue.sale().meta(), queue.sale().stock(), queue.waiting(), queue.joined(), queue.gone(),
                queue.inside(), queue.stats(), queue.connections(), queue.windows(), queue.sale().userUnits());
    }

    public Uni<Result> run(long saleId, Tick tick) {
        return SCRIPT.call(redis, keys(saleId), List.of(Long.toString(tick.nowMs()), Long.toString(tick.rateTimeConstantMs()),
                        Integer.toString(tick.stepLimit()), Long.toString(saleId), QueueEvent.CHANNEL,
                        Long.toString(tick.ackMs())))
                .map(r -> new Result(r.get(0).toLong(), r.get(1).toLong(), r.get(2).toLong(), r.get(3).toInteger() == 1));
    }
}
