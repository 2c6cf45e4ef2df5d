package io.miaosha.gateway.live;

import io.miaosha.common.purchase.PurchaseScript;
import io.miaosha.common.redis.LuaScript;
import io.miaosha.common.sale.SaleKeys;
import io.miaosha.common.sale.SeatMapScript;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;
import java.util.ArrayList;
import java.util.List;

/** seat_changes.lua: a seated sale's seat changes after a given one, or a snapshot when that one is gone; see its header. */
final class SeatChangesScript {

    private static final LuaScript SCRIPT = LuaScript.fromClasspath("seat_changes.lua");

    /** One stream entry: these seats took this state ('0' free, '1' held, '2' sold) at change {@code id}. */
    record Change(String id, int state, List<Integer> seats) {
    }

    sealed interface Result {
        /** The changes after the asked id, oldest first; empty when nothing changed. */
        record Changes(List<Change> changes) implements Result {
        }

        /** The reader fell behind the stream's cap (or a backlog too long to replay): the whole map instead. */
        record Reload(SeatMapScript.Snapshot snapshot) implements Result {
        }
    }

    private final ReactiveRedisDataSource redis;
    private final int most;

    /** {@code most}: the longest run of changes answered as changes; a longer one is answered as a snapshot. */
    SeatChangesScript(ReactiveRedisDataSource redis, int most) {
        this.redis = redis;
        this.most = most;
    }

    Uni<Result> run(long saleId, String afterId) {
        SaleKeys sale = new SaleKeys(saleId);
        return SCRIPT.call(redis, List.of(sale.seats(), sale.seatChanges()), List.of(afterId, Integer.toString(most)))
                .map(SeatChangesScript::decode);
    }

    private static Result decode(Response r) {
        if (r.get(0).toInteger() == 2) {
            return new Result.Reload(new SeatMapScript.Snapshot(r.get(1).toString(), r.get(2).toString()));
        }
        List<Change> changes = new ArrayList<>((r.size() - 1) / 3);
        for (int i = 1; i + 2 < r.size(); i += 3) {
            changes.add(new Change(r.get(i).toString(), Integer.parseInt(r.get(i + 1).toString()),
                    PurchaseScript.positions(r.get(i + 2).toString())));
        }
        return new Result.Changes(changes);
    }
}
