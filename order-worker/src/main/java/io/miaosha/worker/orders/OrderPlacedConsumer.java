package io.miaosha.worker.orders;

import io.miaosha.common.order.OrderChannels;
import io.miaosha.common.order.OrderPlaced;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.logging.Log;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Consumes OrderPlaced from the orders queue. The method hands each message to the batcher and
 * returns at once; acknowledgement happens later, after the batch commits (manual ack), and the
 * broker's prefetch (max-outstanding-messages) bounds how many are in flight.
 */
@ApplicationScoped
public class OrderPlacedConsumer {

    private final OrderBatcher batcher;
    private final ObjectMapper json;

    public OrderPlacedConsumer(OrderBatcher batcher, ObjectMapper json) {
        this.batcher = batcher;
        this.json = json;
    }

    @Incoming(OrderChannels.ORDERS)
    public CompletionStage<Void> onOrderPlaced(Message<?> message) {
        OrderPlaced order;
        try {
            order = parse(message.getPayload());
        } catch (IOException | IllegalArgumentException malformed) {
            // Retrying cannot fix a malformed message: park it at once, with the reason in the log.
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

    private OrderPlaced parse(Object payload) throws IOException {
        OrderPlaced order = decode(payload);
        for (long instant : new long[] {order.createdAtMs(), order.payByMs()}) {
            if (instant < EARLIEST_STORABLE_MS || instant > LATEST_STORABLE_MS) {
                throw new IllegalArgumentException("a date of order " + order.orderId() + " is outside what MySQL stores: " + instant);
            }
        }
        return order;
    }

    /** The connector hands over raw bytes or, depending on content type and version, decoded JSON. */
    private OrderPlaced decode(Object payload) throws IOException {
        return switch (payload) {
            case byte[] bytes -> json.readValue(bytes, OrderPlaced.class);
            case Buffer buffer -> json.readValue(buffer.getBytes(), OrderPlaced.class);
            case String text -> json.readValue(text, OrderPlaced.class);
            case JsonObject object -> json.convertValue(object.getMap(), OrderPlaced.class);
            case null, default -> throw new IllegalArgumentException("not a JSON object: " + payload);
        };
    }
}
