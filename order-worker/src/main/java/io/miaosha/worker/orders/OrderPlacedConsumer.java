package io.miaosha.worker.orders;

import io.miaosha.common.order.OrderChannels;
import io.miaosha.common.order.OrderPlaced;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.miaosha.worker.messaging.BatchMembers;
import io.miaosha.worker.messaging.FailedMessages;
import io.miaosha.worker.messaging.MessageBodies;
import io.quarkus.logging.Log;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Consumes OrderPlaced from the orders queue, alone or in batches ({@link io.miaosha.common.order.OrderBatch},
 * each order of a batch settled on its own: {@link BatchMembers}). The method hands each order to the batcher
 * and returns at once; acknowledgement happens later, after the batch commits (manual ack), and the
 * broker's prefetch (max-outstanding-messages) bounds how many are in flight.
 */
@ApplicationScoped
public class OrderPlacedConsumer {

    private final OrderBatcher batcher;
    private final ObjectMapper json;
    private final FailedMessages failed;

    public OrderPlacedConsumer(OrderBatcher batcher, ObjectMapper json, FailedMessages failed) {
        this.batcher = batcher;
        this.json = json;
        this.failed = failed;
    }

    @Incoming(OrderChannels.ORDERS)
    public CompletionStage<Void> onOrderPlaced(Message<?> message) {
        Map<String, Object> body;
        List<Map<String, Object>> orders;
        try {
            body = MessageBodies.jsonObject(message.getPayload());
            orders = MessageBodies.orders(body);
        } catch (IllegalArgumentException malformed) {
            // Retrying cannot fix a malformed message: park it at once, with the reason in the log.
            Log.errorf("parking malformed order message: %s", malformed.getMessage());
            return message.nack(malformed);
        }
        if (!MessageBodies.isBatch(body)) {
            return accept(body, message);
        }
        List<Message<?>> members = BatchMembers.of(message, orders);
        for (int i = 0; i < orders.size(); i++) {
            Message<?> member = members.get(i);
            try {
                batcher.add(parse(orders.get(i)), member);
            } catch (IllegalArgumentException malformed) {
                // One bad order of a batch is parked alone, with its reason; the others are written.
                failed.park(member, OrderChannels.ORDERS_QUEUE, "malformed order: " + malformed.getMessage())
                        .subscribe().with(parked -> { }, failure -> Log.errorf(failure, "could not park a malformed order"));
            }
        }
        return CompletableFuture.completedFuture(null);
    }

    private CompletionStage<Void> accept(Map<String, Object> body, Message<?> message) {
        OrderPlaced order;
        try {
            order = parse(body);
        } catch (IllegalArgumentException malformed) {
            Log.errorf("parking malformed order message: %s", malformed.getMessage());
            return message.nack(malformed);
        }
        batcher.add(order, message);
        return CompletableFuture.completedFuture(null);
    }

    /**
     * MySQL's DATETIME range (years 1000 to 9999). Over the binary protocol MariaDB stored a date
     * outside it as 0000-00-00 without an error under its default (strict) mode; refused here, where
     * the message can be parked with a reason, whatever mode the database runs in.
     */
    private static final long EARLIEST_STORABLE_MS = -30_610_224_000_000L;
    private static final long LATEST_STORABLE_MS = 253_402_300_799_999L;

    private OrderPlaced parse(Map<String, Object> body) {
        OrderPlaced order = json.convertValue(body, OrderPlaced.class);
        for (long instant : new long[] {order.createdAtMs(), order.payByMs()}) {
            if (instant < EARLIEST_STORABLE_MS || instant > LATEST_STORABLE_MS) {
                throw new IllegalArgumentException("a date of order " + order.orderId() + " is outside what MySQL stores: " + instant);
            }
        }
        return order;
    }
}
