package io.miaosha.common.queue;

import io.miaosha.common.redis.LuaScript;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;
import java.util.List;

/** queue_status.lua: a sale's waiting room at one moment, in one round trip; see the script's header. */
public final class QueueStatusScript {

    private static final LuaScript SCRIPT = LuaScript.fromClasspath("queue_status.lua");

    private final ReactiveRedisDataSource redis;

    public QueueStatusScript(ReactiveRedisDataSource redis) {
        this.redis = redis;
    }

    public static List<String> keys(long saleId) {
        QueueKeys queue = new QueueKeys(saleId);
        return List.of(queue.sale().meta(), queue.sale().stock(), queue.waiting(), queue.inside(), queue.stats(),
                queue.joined(), queue.sale().holdDeadlines());
    }

    /** The status, or a null item when the sale is not armed (no hot state in Redis). */
    public Uni<QueueStatus> run(long saleId) {
        return SCRIPT.call(redis, keys(saleId), List.of()).map(QueueStatusScript::decode);
    }

    private static QueueStatus decode(Response reply) {
        if (reply == null || reply.size() == 0) {
            return null;
        }
        double rate = number(reply.get(9));
        double weight = number(reply.get(10));
        return new QueueStatus(reply.get(0).toString(), (long) number(reply.get(1)), (long) number(reply.get(2)),
                (int) Math.max(1, number(reply.get(3))), (long) number(reply.get(4)), (long) number(reply.get(5)),
                reply.get(6).toLong(), reply.get(7).toLong(), (long) number(reply.get(8)),
                weight > 0 ? rate / weight : 0, (long) number(reply.get(11)), "1".equals(reply.get(12).toString()),
                (long) number(reply.get(13)), reply.get(14).toLong(), (long) number(reply.get(15)),
                (int) number(reply.get(16)), number(reply.get(17)), number(reply.get(18)) / 1000);
    }

    /** A field the script answers as "" when absent. */
    private static double number(Response value) {
        if (value == null) {
            return 0;
        }
        String text = value.toString();
        return text.isEmpty() ? 0 : Double.parseDouble(text);
    }
}
