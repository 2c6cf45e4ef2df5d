package io.miaosha.api.seating;

import io.miaosha.api.admission.AdmissionGate;
import io.miaosha.api.arming.SaleArmer;
import io.miaosha.api.problem.Problems;
import io.miaosha.api.purchase.PurchaseAttempt;
import io.miaosha.api.purchase.PurchaseConfig;
import io.miaosha.common.admission.AdmissionToken;
import io.miaosha.common.order.OrderIds;
import io.miaosha.common.order.OrderStatus;
import io.miaosha.common.purchase.PurchaseScript;
import io.miaosha.common.purchase.PurchaseScript.Result;
import io.miaosha.common.purchase.PurchaseScript.SeatChoice;
import io.miaosha.common.redis.RedisClock;
import io.miaosha.common.sale.SeatMapScript;
import io.miaosha.common.text.Digests;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Seat picks: the purchase script of the unit purchase in its seat mode, so a pick has the same
 * admission, per-shopper limit, idempotency, outbox, durable acknowledgement, pay and expiry as a
 * unit purchase. This class only turns seat ids into positions (and back) and checks the request.
 */
@ApplicationScoped
public class SeatPickService {

    /** More seats than this in one request is no pick a shopper makes; the limit refuses far fewer anyway. */
    static final int MAX_SEATS_PER_PICK = 100;

    private final PurchaseScript script;
    private final SeatMapScript seatMap;
    private final SaleSeatings seatings;
    private final SaleArmer armer;
    private final AdmissionGate admission;
    private final PurchaseConfig config;

    public SeatPickService(ReactiveRedisDataSource redis, SaleSeatings seatings, SaleArmer armer, AdmissionGate admission,
            PurchaseConfig config) {
        this.script = new PurchaseScript(redis,
                new PurchaseScript.Durability(config.durableReplicas(), config.durableTimeout().toMillis()));
        this.seatMap = new SeatMapScript(redis);
        this.seatings = seatings;
        this.armer = armer;
        this.admission = admission;
        this.config = config;
    }

    /** {@code emailVerified}: the picker's session says its email is confirmed (what a verified-only sale asks). */
    public Uni<SeatPickReceipt> pick(long saleId, long userId, SeatPickRequest body, String idempotencyKey, String admissionToken,
            boolean emailVerified) {
        if (idempotencyKey != null && !PurchaseAttempt.isWellFormedKey(idempotencyKey)) {
            throw new Problems.InvalidRequest(
                    "Idempotency-Key must be 1 to 64 characters of letters, digits, '.', '_', ':' or '-'");
        }
        return seating(saleId).chain(seating -> {
            Choice choice = choice(seating, body);
            AdmissionToken admitted = admission.check(admissionToken, userId, saleId);
            PurchaseScript.Request request = new PurchaseScript.Request(saleId, userId, choice.count(), OrderIds.next(),
                    RedisClock.SERVER, idempotencyKey, choice.fingerprint(), config.idempotencyTtl().toSeconds(),
                    admitted == null ? null : admitted.id(), choice.seats(), emailVerified);
            return script.run(request)
                    .chain(result -> result instanceof Result.NotArmed
                            ? armer.armById(saleId).chain(() -> script.run(request))
                            : Uni.createFrom().item(result))
                    .map(result -> receipt(seating, choice, idempotencyKey != null, result));
        });
    }

    public Uni<SeatLayoutView> layout(long saleId) {
        return seating(saleId).map(SaleSeating::layoutView);
    }

    /** The live states; a sale not armed yet is armed first (its seats are then all loaded). */
    public Uni<SeatMapView> map(long saleId) {
        return seating(saleId)
                .chain(seating -> seatMap.run(saleId)
                        .chain(snapshot -> snapshot.states().isEmpty()
                                ? armer.armById(saleId).chain(() -> seatMap.run(saleId))
                                : Uni.createFrom().item(snapshot)))
                .map(snapshot -> new SeatMapView(saleId, snapshot.states(), snapshot.lastChangeId()));
    }

    private Uni<SaleSeating> seating(long saleId) {
        return seatings.of(saleId).map(seating -> seating.orElseThrow(() -> new Problems.SeatingMismatch(saleId, false)));
    }

    /** What the script is asked, how many seats, and the canonical body for the idempotency record. */
    private record Choice(SeatChoice seats, int count, String fingerprint, String areaName) {
    }

    private static Choice choice(SaleSeating seating, SeatPickRequest body) {
        if (body == null) {
            throw invalid("body", "must be {\"seats\": [seat ids]} or {\"area\": name, \"count\": n}");
        }
        boolean bySeats = body.seats() != null;
        boolean byArea = body.area() != null || body.count() != null;
        if (bySeats == byArea) {
            throw invalid("body", "must name either seats, or an area and a count, not both");
        }
        if (byArea) {
            if (body.area() == null) {
                throw invalid("area", "is required with count");
            }
            SaleSeating.Area area = seating.area(body.area());
            if (area == null) {
                throw invalid("area", "'" + body.area() + "' is not an area of this sale's venue; its areas are "
                        + seating.areas().stream().map(SaleSeating.Area::name).collect(Collectors.joining(", ")));
            }
            if (body.count() == null || body.count() < 1 || body.count() > MAX_SEATS_PER_PICK) {
                throw invalid("count", "must be from 1 to " + MAX_SEATS_PER_PICK);
            }
            return new Choice(new SeatChoice.BestInArea(area.ordinal()), body.count(),
                    "best=" + area.ordinal() + ":" + body.count(), area.name());
        }
        List<Long> ids = body.seats();
        if (ids.isEmpty() || ids.size() > MAX_SEATS_PER_PICK) {
            throw invalid("seats", "must list 1 to " + MAX_SEATS_PER_PICK + " seat ids");
        }
        Set<Long> seen = new HashSet<>();
        Set<Long> twice = new LinkedHashSet<>();
        List<Long> unknown = new ArrayList<>();
        List<Integer> positions = new ArrayList<>();
        for (Long id : ids) {
            if (id == null) {
                throw invalid("seats", "must not contain null");
            }
            if (!seen.add(id)) {
                twice.add(id);
                continue;
            }
            int position = seating.position(id);
            if (position < 0) {
                unknown.add(id);
            } else {
                positions.add(position);
            }
        }
        if (!twice.isEmpty()) {
            throw invalid("seats", "names seats more than once: " + join(twice));
        }
        if (!unknown.isEmpty()) {
            throw invalid("seats", "are not seats of sale " + seating.saleId() + "'s venue: " + join(unknown));
        }
        List<Integer> sorted = positions.stream().sorted().toList();
        // The same seats in any order are the same pick; the digest keeps the record within its column.
        String fingerprint = "seats=" + Digests.sha1Hex(sorted.stream().map(String::valueOf).collect(Collectors.joining(",")));
        return new Choice(new SeatChoice.Exactly(sorted), sorted.size(), fingerprint, null);
    }

    private static SeatPickReceipt receipt(SaleSeating seating, Choice choice, boolean keyed, Result result) {
        return switch (result) {
            case Result.SeatsHeld held -> receipt(seating, held.orderId(), held.payByMs(), held.positions(), held.amountMinor());
            case Result.SeatsReplayed replayed ->
                    receipt(seating, replayed.orderId(), replayed.payByMs(), replayed.positions(), replayed.amountMinor());
            case Result.SeatsTaken taken -> throw new Problems.SeatsTaken(
                    taken.positions().stream().map(p -> Map.<String, Object>of("id", seating.seatId(p), "position", p,
                            "label", seating.describe(p))).toList(),
                    taken.positions().stream().map(seating::describe).collect(Collectors.joining(", ")));
            case Result.NotEnoughSeats notEnough -> throw new Problems.NotEnoughSeats(choice.areaName(), notEnough.free());
            case Result.SoldOut soldOut -> throw new Problems.SoldOut();
            case Result.NotEnoughStock notEnough -> throw new Problems.NotEnoughStock(notEnough.unitsLeft());
            case Result.LimitReached limit -> throw new Problems.LimitReached(limit.unitsHeld(), limit.limit());
            case Result.AdmissionRequired required -> throw new Problems.AdmissionRequired();
            case Result.AdmissionUsed used -> throw new Problems.AdmissionInvalid(
                    "it was already used for a purchase, or you are no longer inside (you left or your window ended)");
            case Result.KeyReused reused -> throw new Problems.IdempotencyKeyReused();
            case Result.Recovering recovering -> throw new Problems.SaleRecovering();
            case Result.EmailNotVerified notVerified -> throw new Problems.EmailNotVerified();
            case Result.Unconfirmed unconfirmed -> throw new Problems.PurchaseNotConfirmed(keyed);
            case Result.NotOpen notOpen -> throw new Problems.SaleNotOpen(Instant.ofEpochMilli(notOpen.opensAtMs()));
            case Result.Ended ended -> throw new Problems.SaleClosed("The sale has ended.");
            case Result.Cancelled cancelled -> throw new Problems.SaleClosed("The sale was cancelled.");
            case Result.NotSeated notSeated -> throw new Problems.SeatingMismatch(seating.saleId(), false);
            case Result.NotArmed notArmed -> throw new IllegalStateException("sale " + seating.saleId() + " is still not armed");
            case Result.Accepted accepted -> throw new IllegalStateException("a seat pick answered with units: " + accepted);
            case Result.Replayed replayed -> throw new IllegalStateException("a seat pick answered with units: " + replayed);
            case Result.SeatedSale seated -> throw new IllegalStateException("a seat pick answered " + seated);
        };
    }

    private static SeatPickReceipt receipt(SaleSeating seating, String orderId, long payByMs, List<Integer> positions, long amount) {
        return new SeatPickReceipt(orderId, seating.saleId(), OrderStatus.PENDING_PAYMENT, positions.size(),
                Instant.ofEpochMilli(payByMs), amount, seating.currency(), positions.stream().map(seating::view).toList());
    }

    private static String join(java.util.Collection<Long> ids) {
        return ids.stream().map(String::valueOf).collect(Collectors.joining(", "));
    }

    private static Problems.InvalidRequest invalid(String field, String message) {
        return new Problems.InvalidRequest(field + " " + message, List.of(Map.of("field", field, "message", message)));
    }
}
