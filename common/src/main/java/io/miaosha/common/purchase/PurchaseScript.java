package io.miaosha.common.purchase;

import io.miaosha.common.events.OrderUpdate;
import io.miaosha.common.events.OutboxWake;
import io.miaosha.common.events.SaleEvent;
import io.miaosha.common.queue.QueueKeys;
import io.miaosha.common.redis.LuaScript;
import io.miaosha.common.sale.SaleKeys;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;
import java.util.List;

/**
 * purchase.lua: the whole purchase decision of the hot path in one round trip; see the script's
 * header. Its own package because it is the one script that touches both a sale's and its waiting
 * room's keys.
 */
public final class PurchaseScript {

    private static final LuaScript SCRIPT = LuaScript.fromClasspath("purchase.lua");

    /**
     * One attempt as the script sees it. {@code idempotencyKey} and {@code admissionId} (the verified
     * admission token's id) are null when the request had none; the fingerprint matters only with a key.
     * {@code emailVerified}: the buyer's session says its email is confirmed (a verified-only sale refuses
     * anyone else); the shorter constructors say it is not, which changes nothing for any other sale.
     */
    public record Request(long saleId, long userId, int quantity, String orderId, long nowMs, String idempotencyKey,
            String fingerprint, long idempotencyTtlSeconds, String admissionId, SeatChoice seats, boolean emailVerified) {

        public Request(long saleId, long userId, int quantity, String orderId, long nowMs, String idempotencyKey,
                String fingerprint, long idempotencyTtlSeconds, String admissionId, SeatChoice seats) {
            this(saleId, userId, quantity, orderId, nowMs, idempotencyKey, fingerprint, idempotencyTtlSeconds, admissionId, seats, false);
        }

        /** A unit purchase. */
        public Request(long saleId, long userId, int quantity, String orderId, long nowMs, String idempotencyKey,
                String fingerprint, long idempotencyTtlSeconds, String admissionId) {
            this(saleId, userId, quantity, orderId, nowMs, idempotencyKey, fingerprint, idempotencyTtlSeconds, admissionId, null);
        }
    }

    /** What a seat pick asks for: these seat positions, or the best {@code count} seats of one area. */
    public sealed interface SeatChoice {
        String argument();

        record Exactly(List<Integer> positions) implements SeatChoice {
            public Exactly {
                positions = List.copyOf(positions);
                if (positions.isEmpty() || positions.stream().distinct().count() != positions.size()) {
                    throw new IllegalArgumentException("positions must be distinct and at least one");
                }
            }

            @Override
            public String argument() {
                return positions.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(","));
            }
        }

        /** {@code areaOrdinal} counts from 1, in the venue's order of areas. */
        record BestInArea(int areaOrdinal) implements SeatChoice {
            @Override
            public String argument() {
                return "best:" + areaOrdinal;
            }
        }
    }

    public sealed interface Result {
        /** Accepted now: the hold, the outbox entry and (with a key) the idempotency record are written. */
        record Accepted(String orderId, int quantity, long payByMs, long unitsLeft) implements Result {
        }

        /** Seats held now: the positions (chosen by the script for a best-available pick) and their total price. */
        record SeatsHeld(String orderId, long payByMs, long seatsLeft, List<Integer> positions, long amountMinor)
                implements Result {
        }

        /** The first answer to this user's idempotency key for a seat pick, replayed. */
        record SeatsReplayed(String orderId, long payByMs, List<Integer> positions, long amountMinor) implements Result {
        }

        /** A unit purchase in a seated sale: seats are picked, not bought by quantity. */
        record SeatedSale() implements Result {
        }

        /** A seat pick in a sale without seats. */
        record NotSeated() implements Result {
        }

        /** Some of the asked seats are held or sold already (lost a race): nothing is done. */
        record SeatsTaken(List<Integer> positions) implements Result {
        }

        /** A best-available pick for more seats than the area has free. */
        record NotEnoughSeats(long free) implements Result {
        }

        /** The first answer to this user's idempotency key, replayed: nothing changed. */
        record Replayed(String orderId, int quantity, long payByMs) implements Result {
        }

        record NotArmed() implements Result {
        }

        record NotOpen(long opensAtMs) implements Result {
        }

        record Ended() implements Result {
        }

        record Cancelled() implements Result {
        }

        record SoldOut() implements Result {
        }

        record NotEnoughStock(long unitsLeft) implements Result {
        }

        record LimitReached(long unitsHeld, long limit) implements Result {
        }

        /** The sale is behind the waiting room and no admission token was sent. */
        record AdmissionRequired() implements Result {
        }

        /** The admission was used already, or its holder is no longer inside (left, window over). */
        record AdmissionUsed() implements Result {
        }

        /** The idempotency key was used before with another body: nothing is done. */
        record KeyReused() implements Result {
        }

        /** The sale is for accounts with a confirmed email, and the buyer's session says its email is not: nothing is done. */
        record EmailNotVerified() implements Result {
        }

        /** The sale's hot state is being rebuilt after a Redis loss: nothing is decided, the shopper retries. */
        record Recovering() implements Result {
        }

        /**
         * Accepted (or replayed) on the master, but not acknowledged by enough replicas in time: a
         * failover now could lose it, so it is not promised. A retry with the same idempotency key
         * answers this order once it is safe, never a second one.
         */
        record Unconfirmed(String orderId, long replicasAcknowledged) implements Result {
        }
    }

    /**
     * How many replicas must hold an accepted purchase before it is answered, and how long to wait
     * for them. Zero replicas (a lone development Redis) answers as soon as the master has it.
     */
    public record Durability(int replicas, long timeoutMs) {
        public static final Durability MASTER_ONLY = new Durability(0, 0);
    }

    private final ReactiveRedisDataSource redis;
    private final Durability durability;

    public PurchaseScript(ReactiveRedisDataSource redis) {
        this(redis, Durability.MASTER_ONLY);
    }

    public PurchaseScript(ReactiveRedisDataSource redis, Durability durability) {
        this.redis = redis;
        this.durability = durability;
    }

    public static List<String> keys(long saleId, long userId, String idempotencyKey) {
        SaleKeys sale = new SaleKeys(saleId);
        QueueKeys queue = new QueueKeys(sale);
        return List.of(sale.meta(), sale.stock(), sale.userUnits(), sale.holds(), sale.holdDeadlines(), sale.outbox(),
                sale.idempotency(userId, idempotencyKey == null ? "-" : idempotencyKey),
                queue.inside(), queue.admissionsUsed(), sale.idempotencyKeys(), sale.tally(),
                sale.seats(), sale.seatLayout(), sale.holdSeats(), sale.seatChanges());
    }

    public Uni<Result> run(Request request) {
        List<String> keys = keys(request.saleId(), request.userId(), request.idempotencyKey());
        List<String> args = args(request);
        if (durability.replicas() <= 0) {
            return SCRIPT.call(redis, keys, args).map(PurchaseScript::decode);
        }
        return SCRIPT.callAndWait(redis, keys, args, durability.replicas(), durability.timeoutMs()).map(answer -> {
            Result result = decode(answer.result());
            if (answer.replicas() >= durability.replicas()) {
                return result;
            }
            return switch (result) {
                case Result.Accepted accepted -> new Result.Unconfirmed(accepted.orderId(), answer.replicas());
                case Result.Replayed replayed -> new Result.Unconfirmed(replayed.orderId(), answer.replicas());
                default -> result;
            };
        });
    }

    /**
     * {@link #run} on Vert.x's own client, without Mutiny (see {@link LuaScript#send}), answered on the
     * client's event loop: give it the caller's loop's own client (EventLoopRedisClients) so that the answer
     * is read where it is used. With replicas to wait for, the same batch as {@link #run}.
     */
    public io.vertx.core.Future<Result> send(Request request, io.vertx.redis.client.Redis client) {
        if (durability.replicas() > 0) {
            return io.vertx.core.Future.fromCompletionStage(run(request).subscribeAsCompletionStage());
        }
        return SCRIPT.send(client, keys(request.saleId(), request.userId(), request.idempotencyKey()),
                args(request)).map(answer -> decode(Response.newInstance(answer)));
    }

    private static List<String> args(Request request) {
        boolean hasKey = request.idempotencyKey() != null;
        if (request.seats() != null) {
            return List.of(Long.toString(request.userId()), Integer.toString(request.quantity()), request.orderId(),
                    Long.toString(request.nowMs()), hasKey ? request.fingerprint() : "",
                    Long.toString(request.idempotencyTtlSeconds()), Long.toString(request.saleId()),
                    hasKey ? request.idempotencyKey() : "",
                    request.admissionId() == null ? "" : request.admissionId(),
                    OrderUpdate.CHANNEL, SaleEvent.CHANNEL, OutboxWake.CHANNEL, request.seats().argument(),
                    Integer.toString(SaleKeys.SEAT_CHANGES_KEPT), verified(request));
        }
        return List.of(Long.toString(request.userId()), Integer.toString(request.quantity()), request.orderId(),
                Long.toString(request.nowMs()), hasKey ? request.fingerprint() : "",
                Long.toString(request.idempotencyTtlSeconds()), Long.toString(request.saleId()),
                hasKey ? request.idempotencyKey() : "",
                request.admissionId() == null ? "" : request.admissionId(),
                OrderUpdate.CHANNEL, SaleEvent.CHANNEL, OutboxWake.CHANNEL, "", Integer.toString(SaleKeys.SEAT_CHANGES_KEPT),
                verified(request));
    }

    private static String verified(Request request) {
        return request.emailVerified() ? "1" : "0";
    }

    private static Result decode(Response r) {
        return switch (r.get(0).toInteger()) {
            case 1 -> r.size() > 5
                    ? new Result.SeatsHeld(r.get(1).toString(), r.get(3).toLong(), r.get(4).toLong(), positions(r.get(5).toString()),
                            r.get(6).toLong())
                    : new Result.Accepted(r.get(1).toString(), r.get(2).toInteger(), r.get(3).toLong(), r.get(4).toLong());
            case 2 -> r.size() > 4 ? seatsReplayed(r)
                    : new Result.Replayed(r.get(1).toString(), r.get(2).toInteger(), r.get(3).toLong());
            case -1 -> new Result.NotArmed();
            case -2 -> new Result.NotOpen(r.get(1).toLong());
            case -3 -> new Result.Ended();
            case -4 -> new Result.Cancelled();
            case -5 -> new Result.SoldOut();
            case -6 -> new Result.NotEnoughStock(r.get(1).toLong());
            case -7 -> new Result.LimitReached(r.get(1).toLong(), r.get(2).toLong());
            case -8 -> new Result.AdmissionRequired();
            case -9 -> new Result.AdmissionUsed();
            case -10 -> new Result.KeyReused();
            case -11 -> new Result.Recovering();
            case -12 -> new Result.SeatedSale();
            case -13 -> new Result.NotSeated();
            case -14 -> new Result.SeatsTaken(positions(r.get(1).toString()));
            case -15 -> new Result.NotEnoughSeats(r.get(1).toLong());
            case -16 -> new Result.EmailNotVerified();
            default -> throw new IllegalStateException("purchase.lua answered " + r);
        };
    }

    /** hold-seats' record: "amountMinor|p1,p2,...". */
    private static Result seatsReplayed(Response r) {
        String record = r.get(4).toString();
        int bar = record.indexOf('|');
        return new Result.SeatsReplayed(r.get(1).toString(), r.get(3).toLong(), positions(record.substring(bar + 1)),
                Long.parseLong(record.substring(0, bar)));
    }

    public static List<Integer> positions(String list) {
        return java.util.Arrays.stream(list.split(",")).map(Integer::valueOf).toList();
    }
}
