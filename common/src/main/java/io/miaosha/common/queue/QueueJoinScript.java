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
        /**
         * Waiting with {@code ahead} people before it, read with the admissions and reorders counts (see
         * QueueKeys#stats); {@code draw} when the ticket is a draw ticket (the shopper joined before
         * opening), else null.
         */
        record Waiting(long ahead, long served, long reorders, Entrant draw) implements Result {
        }

        /** Admitted earlier and still inside: this socket acknowledges the admission. */
        record Inside(long windowEndMs) implements Result {
        }

        /** Refused before any write. */
        record Refused(Refusal reason) implements Result {
        }

        /**
         * Refused before any write: a newcomer before the draw's entries open ({@code entriesOpenAtMs}, the
         * sale's draw_from, a configured time before opening).
         */
        record TooEarly(long entriesOpenAtMs) implements Result {
        }

        /** Refused before any write: the shopper holds or bought {@code units}, the most a shopper may ({@code limit}). */
        record LimitReached(long units, long limit) implements Result {
        }
    }

    /** A shopper in the pre-opening draw: its public ticket id, the seed's commitment, and when the seed is revealed. */
    public record Entrant(String ticketId, String commitment, long revealAtMs) {
    }

    /** EMAIL_NOT_VERIFIED: the sale is for accounts with a confirmed email, and the shopper's session says its email is not. */
    public enum Refusal { NOT_ARMED, NO_WAITING_ROOM, ENDED, CANCELLED, SOLD_OUT, EMAIL_NOT_VERIFIED }

    /** queue_join.lua's answer when a draw ticket is due but the value was not computed from the draw's seed. */
    private static final int DRAW_SEED_NEEDED = -7;

    private final ReactiveRedisDataSource redis;
    private final DrawSeeds seeds;

    public QueueJoinScript(ReactiveRedisDataSource redis) {
        this.redis = redis;
        this.seeds = new DrawSeeds(redis);
    }

    public static List<String> keys(long saleId) {
        QueueKeys queue = new QueueKeys(saleId);
        return List.of(queue.sale().meta(), queue.sale().stock(), queue.waiting(), queue.joined(), queue.gone(),
                queue.connections(), queue.inside(), queue.sequence(), queue.stats(), queue.windows(),
                queue.sale().userUnits(), queue.draw(), queue.drawEntrants(),
                queue.sale().holdDeadlines());
    }

    /**
     * {@code ticketId}: this user's public ticket id in the sale's draw (fixed per user and sale). Before
     * opening its ticket is the draw value of that id under the sale's seed (DrawFunction.value): the
     * seed known here is used, and when the script answers that it is not the draw's (none known yet,
     * or none created yet), the draw is loaded (created when due) and the join runs once more.
     */
    public Uni<Result> run(long saleId, long userId, long nowMs, String ticketId) {
        return run(saleId, userId, nowMs, ticketId, false);
    }

    /** {@code emailVerified}: the shopper's session says its email is confirmed (see queue_join.lua's ARGV[6]). */
    public Uni<Result> run(long saleId, long userId, long nowMs, String ticketId, boolean emailVerified) {
        return call(saleId, userId, nowMs, ticketId, seeds.cached(saleId), emailVerified).chain(answer -> {
            if (answer.get(0).toInteger() != DRAW_SEED_NEEDED) {
                return Uni.createFrom().item(decode(answer, ticketId));
            }
            return seeds.load(saleId, nowMs).chain(draw -> call(saleId, userId, nowMs, ticketId, draw, emailVerified)).map(again -> {
                if (again.get(0).toInteger() == DRAW_SEED_NEEDED) {
                    throw new IllegalStateException("queue_join.lua asked twice for the draw seed of sale " + saleId);
                }
                return decode(again, ticketId);
            });
        });
    }

    private Uni<Response> call(long saleId, long userId, long nowMs, String ticketId, QueueDrawScript.Draw draw,
            boolean emailVerified) {
        String value = draw == null ? "0" : Double.toString(DrawFunction.value(draw.seed(), ticketId));
        return SCRIPT.call(redis, keys(saleId), List.of(Long.toString(userId), Long.toString(nowMs), value, ticketId,
                draw == null ? "" : draw.commitment(), emailVerified ? "1" : "0"));
    }

    private static Result decode(Response r, String ticketId) {
        return switch (r.get(0).toInteger()) {
            case 1 -> new Result.Waiting(r.get(1).toLong(), r.get(2).toLong(), r.get(3).toLong(), entrant(r, ticketId));
            case 2 -> new Result.Inside(r.get(1).toLong());
            case -1 -> new Result.Refused(Refusal.NOT_ARMED);
            case -2 -> new Result.Refused(Refusal.NO_WAITING_ROOM);
            case -3 -> new Result.Refused(Refusal.ENDED);
            case -4 -> new Result.Refused(Refusal.CANCELLED);
            case -5 -> new Result.Refused(Refusal.SOLD_OUT);
            case -6 -> new Result.LimitReached(r.get(1).toLong(), r.get(2).toLong());
            case -8 -> new Result.TooEarly(r.get(1).toLong());
            case -9 -> new Result.Refused(Refusal.EMAIL_NOT_VERIFIED);
            default -> throw new IllegalStateException("queue_join.lua answered " + r);
        };
    }

    private static Entrant entrant(Response r, String ticketId) {
        String commitment = r.get(4).toString();
        return commitment.isEmpty() ? null : new Entrant(ticketId, commitment, r.get(5).toLong());
    }
}
