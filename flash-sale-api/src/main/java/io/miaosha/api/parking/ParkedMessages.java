package io.miaosha.api.parking;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;
import io.miaosha.api.messaging.BrokerChannels;
import io.miaosha.common.order.OrderTopology;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * Reads and replays the parking queues with the plain AMQP client (the admin's rare, blocking
 * calls run on the worker pool). Reading takes messages without acknowledging them and closes the
 * channel, which puts them back; replaying republishes a message to its work queue through the
 * default exchange, waits for the broker's confirm, and only then acknowledges the parked copy.
 */
@ApplicationScoped
public class ParkedMessages {

    private final BrokerChannels broker;

    public ParkedMessages(BrokerChannels broker) {
        this.broker = broker;
    }

    public static List<String> parkedQueues() {
        return OrderTopology.WORK_QUEUES.stream().map(OrderTopology::parkedQueue).toList();
    }

    public Uni<List<ParkedMessage>> list(List<String> queues, int limit) {
        return blocking(() -> {
            List<ParkedMessage> found = new ArrayList<>();
            try (Channel channel = channel()) {
                for (String queue : queues) {
                    GetResponse response;
                    while (found.size() < limit && (response = channel.basicGet(queue, false)) != null) {
                        found.add(describe(queue, response));
                    }
                }
            }
            return found;
        });
    }

    /** Replays up to {@code limit} messages (only those with this message id, when given); answers how many. */
    public Uni<Integer> replay(List<String> queues, String messageId, int limit) {
        return blocking(() -> {
            int replayed = 0;
            try (Channel channel = channel()) {
                channel.confirmSelect();
                for (String queue : queues) {
                    GetResponse response;
                    while (replayed < limit && (response = channel.basicGet(queue, false)) != null) {
                        if (messageId != null && !messageId.equals(response.getProps().getMessageId())) {
                            continue;
                        }
                        channel.basicPublish("", workQueue(queue), fresh(response.getProps()), response.getBody());
                        channel.waitForConfirmsOrDie(10_000);
                        channel.basicAck(response.getEnvelope().getDeliveryTag(), false);
                        replayed++;
                    }
                }
            }
            return replayed;
        });
    }

    private static ParkedMessage describe(String queue, GetResponse response) {
        Map<String, Object> headers = response.getProps().getHeaders() == null ? Map.of() : response.getProps().getHeaders();
        Object reason = headers.get(OrderTopology.PARKED_REASON_HEADER);
        Object retries = headers.get(OrderTopology.RETRIES_HEADER);
        if (reason == null && headers.containsKey("x-death")) {
            reason = "rejected by its consumer (see the consumer's log)";
        }
        return new ParkedMessage(queue, workQueue(queue), response.getProps().getMessageId(),
                reason == null ? "unknown" : reason.toString(), retries == null ? 0 : Integer.parseInt(retries.toString()),
                new String(response.getBody(), StandardCharsets.UTF_8));
    }

    /** The same message as new: no parking reason, no retry count, no dead-letter history. */
    private static AMQP.BasicProperties fresh(AMQP.BasicProperties props) {
        Map<String, Object> headers = new HashMap<>(props.getHeaders() == null ? Map.of() : props.getHeaders());
        // The broker's bookkeeping goes, and the first sender's CC (an order's hold timer): a requeued
        // message goes back to its one work queue, not to a hold-timer queue a second time.
        headers.keySet().removeIf(name -> name.startsWith("x-") || name.equals("CC") || name.equals("BCC"));
        return props.builder().headers(headers).expiration(null).deliveryMode(2).build();
    }

    private static String workQueue(String parkedQueue) {
        return parkedQueue.substring(0, parkedQueue.length() - ".parked".length());
    }

    private Channel channel() throws Exception {
        return broker.open();
    }

    private static <T> Uni<T> blocking(Callable<T> work) {
        return Uni.createFrom().item(() -> {
            try {
                return work.call();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException("RabbitMQ refused the parking-queue operation", e);
            }
        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }
}
