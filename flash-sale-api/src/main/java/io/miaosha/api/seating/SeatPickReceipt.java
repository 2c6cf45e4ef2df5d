package io.miaosha.api.seating;

import io.miaosha.common.order.OrderStatus;
import java.time.Instant;
import java.util.List;

/** The answer to an accepted seat pick: the order holding the seats, its total and pay-by time. */
public record SeatPickReceipt(String orderId, long saleId, OrderStatus status, int quantity, Instant payBy,
        long amountMinor, String currency, List<SeatView> seats) {
}
