package io.miaosha.api.outbox;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import io.miaosha.api.messaging.BrokerChannels;
import io.miaosha.common.events.OutboxEntries;
import io.miaosha.common.order.OrderChannels;
import io.miaosha.common.order.OrderTopology;
import io.miaosha.common.sale.SaleKeys;
import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.stream.StreamMessage;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where the relay puts an outbox entry it cannot turn into a message (a field missing or out of range,
 * say a negative user id): in the parking queue of the work queue it was meant for, as the worker parks
 * a poison message, with the reason in {@value OrderTopology#PARKED_REASON_HEADER}. An admin reads it
 * through {@code GET /api/admin/parked}. Parking it, rather than failing the batch, is what keeps one bad
 * entry from holding back every good order behind it. Rare, so the plain AMQP client on a worker thread
 * (publisher confirm, then the caller acknowledges the entry) is enough.
 */
@ApplicationScoped
public class OutboxParking {

    private static final int PERSISTENT = 2;
    private static final long CONFIRM_TIMEOUT_MS = 10_000;

    private final BrokerChannels broker;

    public OutboxParking(BrokerChannels broker) {
        this.broker = broker;
    }

    public Uni<Void> park(SaleKeys keys, StreamMessage<String, String, String> entry, String reason) {
        Map<String, String> fields = entry.payload();
        String queue = OutboxEntries.isPayment(fields) ? OrderChannels.PAID_QUEUE : OrderChannels.ORDERS_QUEUE;
        String why = "outbox entry " + entry.id() + " of sale " + keys.saleId() + " cannot be relayed: " + reason;
        return Uni.createFrom().item(() -> {
            publish(queue, fields, why, entry.id());
            return (Void) null;
        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .invoke(() -> Log.warnf("parked in %s: %s", OrderTopology.parkedQueue(queue), why));
    }

    private void publish(String queue, Map<String, String> fields, String reason, String entryId) {
        Map<String, Object> headers = new HashMap<>();
        headers.put(OrderTopology.PARKED_REASON_HEADER, reason);
        headers.put("x-outbox-entry", entryId);
        String orderId = fields.get("orderId");
        AMQP.BasicProperties props = new AMQP.BasicProperties.Builder()
                .messageId(orderId != null && !orderId.isBlank() ? orderId : entryId)
                .contentType("application/json")
                .deliveryMode(PERSISTENT)
                .headers(headers)
                .build();
        byte[] body = new JsonObject(new TreeMap<String, Object>(fields)).encode().getBytes(StandardCharsets.UTF_8);
        try (Channel channel = broker.open()) {
            channel.confirmSelect();
            channel.basicPublish(OrderTopology.PARKING_EXCHANGE, queue, props, body);
            channel.waitForConfirmsOrDie(CONFIRM_TIMEOUT_MS);
        } catch (Exception e) {
            throw new IllegalStateException("could not park outbox entry " + entryId, e);
        }
    }
}
