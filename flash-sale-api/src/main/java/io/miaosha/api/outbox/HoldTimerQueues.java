package io.miaosha.api.outbox;

import com.rabbitmq.client.Channel;
import io.miaosha.api.messaging.BrokerChannels;
import io.miaosha.common.order.OrderTopology;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Declares the hold-timer queue of each hold duration the first time the relay meets it (see
 * {@link OrderTopology#declareHoldTimer}). Declaring before publishing matters: a confirmed message
 * that no queue takes is dropped, and its hold would never expire.
 */
@ApplicationScoped
public class HoldTimerQueues {

    private final Set<Long> declared = ConcurrentHashMap.newKeySet();
    private final BrokerChannels broker;

    public HoldTimerQueues(BrokerChannels broker) {
        this.broker = broker;
    }

    public Uni<Void> ensure(long holdMs) {
        if (declared.contains(holdMs)) {
            return Uni.createFrom().voidItem();
        }
        return Uni.createFrom().<Void>item(() -> {
            declare(holdMs);
            return null;
        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    private synchronized void declare(long holdMs) {
        try {
            try (Channel channel = broker.open()) {
                OrderTopology.declareHoldTimer(channel, holdMs, broker.queueType());
            }
            declared.add(holdMs);
        } catch (Exception e) {
            throw new IllegalStateException("could not declare the hold-timer queue for " + holdMs + " ms", e);
        }
    }
}
