package io.miaosha.common.sale;

import io.miaosha.common.redis.LuaScript;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** arm_seats.lua: loads a seated sale's seat states and layout once; see the script's header. */
public final class ArmSeatsScript {

    private static final LuaScript SCRIPT = LuaScript.fromClasspath("arm_seats.lua");

    /**
     * The layout as the seat scripts read it. {@code areaEnds} and {@code areaPrices} are by area
     * ordinal (from 1); {@code rowStarts} maps an area ordinal to the first position of each of its rows.
     */
    public record Layout(String states, List<Integer> areaEnds, List<Long> areaPrices, Map<Integer, List<Integer>> rowStarts) {
        public Layout {
            if (areaEnds.isEmpty() || areaEnds.size() != areaPrices.size()) {
                throw new IllegalArgumentException("one price per area, at least one area");
            }
            if (states.length() != areaEnds.getLast()) {
                throw new IllegalArgumentException("one state per seat");
            }
        }
    }

    private final ReactiveRedisDataSource redis;

    public ArmSeatsScript(ReactiveRedisDataSource redis) {
        this.redis = redis;
    }

    public static List<String> keys(long saleId) {
        SaleKeys sale = new SaleKeys(saleId);
        return List.of(sale.seats(), sale.seatLayout());
    }

    /** True when the seats were loaded now, false when the sale had them already. */
    public Uni<Boolean> run(long saleId, Layout layout) {
        List<String> args = new ArrayList<>();
        args.add(layout.states());
        args.add(joined(layout.areaEnds()));
        args.add(joined(layout.areaPrices()));
        layout.rowStarts().forEach((ordinal, starts) -> {
            args.add("rows:" + ordinal);
            args.add(joined(starts));
        });
        return SCRIPT.call(redis, keys(saleId), args).map(response -> response.toInteger() == 1);
    }

    private static String joined(List<? extends Number> values) {
        StringBuilder text = new StringBuilder();
        for (Number value : values) {
            if (!text.isEmpty()) {
                text.append(',');
            }
            text.append(value);
        }
        return text.toString();
    }
}
