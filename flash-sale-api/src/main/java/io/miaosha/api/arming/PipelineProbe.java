package io.miaosha.api.arming;

import com.rabbitmq.client.Channel;
import io.miaosha.api.messaging.BrokerChannels;
import io.miaosha.common.order.OrderChannels;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * Counts the orders and payments still on their way to MySQL in the broker: the messages ready in the
 * persist and paid queues. The queues are shared by every sale, so "none" is what a recovering sale
 * waits for (a count per sale does not exist in AMQP). The retry queues are left out: a message that
 * keeps failing cycles through them until it is parked, and would hold every recovery that long. Messages a worker
 * holds unacknowledged are not counted here: the worker notes those in the sale (adopt_orders.lua)
 * within moments of their delivery, and {@link RecoveryConfig#quiet()} gives it that moment.
 */
@ApplicationScoped
public class PipelineProbe {

    private static final List<String> QUEUES = List.of(OrderChannels.ORDERS_QUEUE, OrderChannels.PAID_QUEUE);

    /** One count serves every recovering sale of a round (hundreds after a node lost everything). */
    private static final long FRESH_FOR_NANOS = 250_000_000L;

    private final BrokerChannels broker;
    private volatile long countedAtNanos;
    private volatile long lastCount = -1;

    public PipelineProbe(BrokerChannels broker) {
        this.broker = broker;
    }

    public Uni<Long> messagesOnTheirWay() {
        return Uni.createFrom().item(this::fresh).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    private synchronized long fresh() {
        if (lastCount < 0 || System.nanoTime() - countedAtNanos > FRESH_FOR_NANOS) {
            lastCount = count();
            countedAtNanos = System.nanoTime();
        }
        return lastCount;
    }

    private long count() {
        long total = 0;
        for (String queue : QUEUES) {
            total += ready(queue);
        }
        return total;
    }

    /** A passive declare of a queue that does not exist closes its channel: one channel per queue. */
    private long ready(String queue) {
        try (Channel channel = broker.open()) {
            return channel.queueDeclarePassive(queue).getMessageCount();
        } catch (java.io.IOException missing) {
            return 0; // never declared (no retry yet): it holds nothing
        } catch (Exception e) {
            throw new IllegalStateException("could not count the messages of " + queue, e);
        }
    }
}
