package io.miaosha.common.sale;

import io.miaosha.common.redis.LuaScript;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import java.util.List;

/** arm_sale.lua: loads (or refreshes) one sale's hot state; see the script's header. */
public final class ArmSaleScript {

    private static final LuaScript SCRIPT = LuaScript.fromClasspath("arm_sale.lua");

    /**
     * What the script did: armed the sale now, only refreshed the terms of an armed one (the stock stays),
     * or armed it as recovering: it was armed before and Redis lost its hot state, which restore_sale.lua
     * rebuilds before the sale sells again; or changed nothing, because the sale is armed with newer
     * terms than these (they were read before an admin's change that is already armed).
     */
    public enum Result { ARMED, REFRESHED, RECOVERING, STALE }

    /**
     * The terms Redis holds for a sale. {@code unitsLeft} is the stock minus what the database already
     * records as sold or held; it is used only when the sale is armed for the first time.
     * {@code armedBefore}: MySQL records an earlier arming, so a sale missing from Redis lost its state.
     * {@code drawEntriesFromMs}: when shoppers may start to enter the pre-opening draw (0: from arming on).
     * {@code versionMs}: when the sale's row last changed (0: unversioned); terms older than the armed
     * ones are refused, so two armings that race cannot leave the older terms in Redis.
     * {@code verifiedEmailOnly}: only accounts with a confirmed email may join and buy (false in the
     * shorter constructors).
     */
    public record Terms(long opensAtMs, long closesAtMs, boolean cancelled, int perUserLimit, long holdMs,
            long priceMinor, String currency, int totalStock, long unitsLeft, boolean queued, int queueCapacity,
            long windowMs, boolean armedBefore, long drawEntriesFromMs, long versionMs, boolean verifiedEmailOnly) {

        public Terms(long opensAtMs, long closesAtMs, boolean cancelled, int perUserLimit, long holdMs,
                long priceMinor, String currency, int totalStock, long unitsLeft, boolean queued, int queueCapacity,
                long windowMs, boolean armedBefore, long drawEntriesFromMs, long versionMs) {
            this(opensAtMs, closesAtMs, cancelled, perUserLimit, holdMs, priceMinor, currency, totalStock, unitsLeft,
                    queued, queueCapacity, windowMs, armedBefore, drawEntriesFromMs, versionMs, false);
        }

        public Terms(long opensAtMs, long closesAtMs, boolean cancelled, int perUserLimit, long holdMs,
                long priceMinor, String currency, int totalStock, long unitsLeft, boolean queued, int queueCapacity,
                long windowMs, boolean armedBefore, long drawEntriesFromMs) {
            this(opensAtMs, closesAtMs, cancelled, perUserLimit, holdMs, priceMinor, currency, totalStock, unitsLeft,
                    queued, queueCapacity, windowMs, armedBefore, drawEntriesFromMs, 0);
        }

        /** Terms whose draw takes entries from arming on. */
        public Terms(long opensAtMs, long closesAtMs, boolean cancelled, int perUserLimit, long holdMs,
                long priceMinor, String currency, int totalStock, long unitsLeft, boolean queued, int queueCapacity,
                long windowMs, boolean armedBefore) {
            this(opensAtMs, closesAtMs, cancelled, perUserLimit, holdMs, priceMinor, currency, totalStock, unitsLeft,
                    queued, queueCapacity, windowMs, armedBefore, 0);
        }
    }

    private final ReactiveRedisDataSource redis;

    public ArmSaleScript(ReactiveRedisDataSource redis) {
        this.redis = redis;
    }

    public static List<String> keys(long saleId) {
        SaleKeys sale = new SaleKeys(saleId);
        return List.of(sale.meta(), sale.stock(), sale.outbox());
    }

    public Uni<Result> run(long saleId, Terms terms) {
        return SCRIPT.call(redis, keys(saleId), List.of(
                        Long.toString(terms.opensAtMs()),
                        Long.toString(terms.closesAtMs()),
                        terms.cancelled() ? "cancelled" : "scheduled",
                        Integer.toString(terms.perUserLimit()),
                        Long.toString(terms.holdMs()),
                        Long.toString(terms.priceMinor()),
                        terms.currency(),
                        Integer.toString(terms.totalStock()),
                        Long.toString(terms.unitsLeft()),
                        terms.queued() ? "1" : "0",
                        Integer.toString(terms.queueCapacity()),
                        Long.toString(terms.windowMs()),
                        terms.armedBefore() ? "1" : "0",
                        Long.toString(System.currentTimeMillis()),
                        terms.drawEntriesFromMs() > 0 ? Long.toString(terms.drawEntriesFromMs()) : "",
                        terms.versionMs() > 0 ? Long.toString(terms.versionMs()) : "",
                        terms.verifiedEmailOnly() ? "1" : "0"))
                .map(response -> switch (response.toInteger()) {
                    case 1 -> Result.ARMED;
                    case 2 -> Result.RECOVERING;
                    case 3 -> Result.STALE;
                    default -> Result.REFRESHED;
                });
    }
}
