package io.miaosha.common.order;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/**
 * Several {@link OrderPlaced} of one sale and one hold time in one message ({@code {"orders":[...]}}): the
 * relay publishes what one outbox read returned as a few of these rather than one message per order, because
 * per message the broker persists, confirms, delivers and takes an acknowledgement, the largest CPU cost of
 * the pipeline (BENCHMARKS.md). The batch is also its orders' hold timer (CC to the hold-timer queue): it
 * is published after every order in it was created, so it expires at or after each order's pay-by time.
 * Consumers take a lone OrderPlaced as well (a batch of one, as tests and older relays publish it).
 */
@RegisterForReflection
public record OrderBatch(List<OrderPlaced> orders) {

    /** The field that tells a batch from a lone order's body. */
    public static final String ORDERS_FIELD = "orders";

    public OrderBatch {
        if (orders == null || orders.isEmpty()) {
            throw new IllegalArgumentException("a batch holds at least one order");
        }
        orders = List.copyOf(orders);
    }

    /** The first order's id names the message (its message id): unique, as each order is in one batch. */
    public String messageId() {
        return orders.getFirst().orderId();
    }
}
