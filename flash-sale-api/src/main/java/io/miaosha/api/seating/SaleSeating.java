package io.miaosha.api.seating;

import io.miaosha.common.sale.ArmSeatsScript;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A seated sale's venue as the hot path needs it: seat ids to positions (the index in the Redis seat
 * map) and back, labels and area prices. Immutable, like the venue and the sale's area prices, so an
 * instance loads it once per sale. Arrays by position, not objects per seat: 100,000 seats stay a few MB.
 */
public final class SaleSeating {

    /** {@code ordinal} from 1; the area's seats are positions {@code first} (inclusive) to {@code end} (exclusive). */
    public record Area(int ordinal, long id, String name, String priceTier, long priceMinor, int first, int end) {
    }

    private final long saleId;
    private final long venueId;
    private final String currency;
    private final List<Area> areas;
    private final long[] ids;
    private final int[] areaOrdinals;
    private final int[] rowOrdinals;
    private final String[] rowLabels;
    private final String[] labels;
    private final int[] xs;
    private final int[] ys;
    private final long[] sortedIds;
    private final int[] positionsBySortedId;

    SaleSeating(long saleId, long venueId, String currency, List<Area> areas, long[] ids, int[] areaOrdinals,
            int[] rowOrdinals, String[] rowLabels, String[] labels, int[] xs, int[] ys) {
        this.saleId = saleId;
        this.venueId = venueId;
        this.currency = currency;
        this.areas = List.copyOf(areas);
        this.ids = ids;
        this.areaOrdinals = areaOrdinals;
        this.rowOrdinals = rowOrdinals;
        this.rowLabels = rowLabels;
        this.labels = labels;
        this.xs = xs;
        this.ys = ys;
        Integer[] order = new Integer[ids.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Long.compare(ids[a], ids[b]));
        this.sortedIds = new long[ids.length];
        this.positionsBySortedId = new int[ids.length];
        for (int i = 0; i < order.length; i++) {
            sortedIds[i] = ids[order[i]];
            positionsBySortedId[i] = order[i];
        }
    }

    public long saleId() {
        return saleId;
    }

    public long venueId() {
        return venueId;
    }

    public String currency() {
        return currency;
    }

    public List<Area> areas() {
        return areas;
    }

    public int seatCount() {
        return ids.length;
    }

    /** The seat's position in this sale's seat map, or -1 when the seat is not in the sale's venue. */
    public int position(long seatId) {
        int found = Arrays.binarySearch(sortedIds, seatId);
        return found < 0 ? -1 : positionsBySortedId[found];
    }

    public long seatId(int position) {
        return ids[position];
    }

    public Area area(String name) {
        return areas.stream().filter(area -> area.name().equals(name)).findFirst().orElse(null);
    }

    public Area areaOf(int position) {
        return areas.get(areaOrdinals[position] - 1);
    }

    public long priceOf(int position) {
        return areaOf(position).priceMinor();
    }

    /** "Stalls row 3 seat 12", as a shopper reads a ticket. */
    public String describe(int position) {
        return areaOf(position).name() + " row " + rowLabels[position] + " seat " + labels[position];
    }

    public SeatView view(int position) {
        return new SeatView(ids[position], position, areaOf(position).name(), rowLabels[position], labels[position],
                xs[position], ys[position], priceOf(position));
    }

    /** The layout for arm_seats.lua, with the given states (one char per position). */
    public ArmSeatsScript.Layout redisLayout(String states) {
        List<Integer> ends = new ArrayList<>();
        List<Long> prices = new ArrayList<>();
        Map<Integer, List<Integer>> rowStarts = new LinkedHashMap<>();
        for (Area area : areas) {
            ends.add(area.end());
            prices.add(area.priceMinor());
            List<Integer> starts = new ArrayList<>();
            for (int p = area.first(); p < area.end(); p++) {
                if (p == area.first() || rowOrdinals[p] != rowOrdinals[p - 1]) {
                    starts.add(p);
                }
            }
            rowStarts.put(area.ordinal(), starts);
        }
        return new ArmSeatsScript.Layout(states, ends, prices, rowStarts);
    }

    /** The whole layout, column by column (index = position): compact JSON for drawing the map. */
    public SeatLayoutView layoutView() {
        List<SeatLayoutView.Area> areaViews = areas.stream()
                .map(a -> new SeatLayoutView.Area(a.ordinal(), a.name(), a.priceTier(), a.priceMinor(), a.first(), a.end() - a.first()))
                .toList();
        return new SeatLayoutView(saleId, venueId, currency, areaViews,
                new SeatLayoutView.Seats(ids, areaOrdinals, rowLabels, labels, xs, ys));
    }
}
