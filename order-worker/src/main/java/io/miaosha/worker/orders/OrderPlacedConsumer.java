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

    /** The connector hands over raw bytes or, depending on content type and version, decoded JSON. */
    private OrderPlaced parse(Object payload) throws IOException {
        return switch (payload) {
            case byte[] bytes -> json.readValue(bytes, OrderPlaced.class);
            case Buffer buffer -> json.readValue(buffer.getBytes(), OrderPlaced.class);
            case String text -> json.readValue(text, OrderPlaced.class);
            case JsonObject object -> json.convertValue(object.getMap(), OrderPlaced.class);
            case null, default -> throw new IllegalArgumentException("not a JSON object: " + payload);
        };
    }
}
