package io.miaosha.worker.orders;

import io.miaosha.common.order.OrderChannels;
import io.miaosha.common.order.OrderPlaced;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.logging.Log;
import io.vertx.core.json.JsonObject;
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
    public CompletionStage<Void> onOrderPlaced(Message<JsonObject> message) {
        OrderPlaced order;
        try {
            order = json.convertValue(message.getPayload().getMap(), OrderPlaced.class);
        } catch (IllegalArgumentException malformed) {
            // Retrying cannot fix a malformed message: park it at once, with the reason in the log.
            Log.errorf("parking malformed order message %s: %s", message.getPayload(), malformed.getMessage());
            return message.nack(malformed);
        }
        batcher.add(order, message);
        return CompletableFuture.completedFuture(null);
    }
}
