package io.miaosha.api.outbox;

import com.rabbitmq.client.Channel;
import io.miaosha.api.messaging.BrokerChannels;
import io.miaosha.common.order.OrderTopology;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;

/** Declares the order queue before the relay publishes, so no confirmed order can be unroutable. */
@Startup
@ApplicationScoped
public class OrderTopologyDeclarer {

    public OrderTopologyDeclarer(BrokerChannels broker) throws Exception {
        try (Channel channel = broker.open()) {
            OrderTopology.declare(channel);
        }
    }
}
