package io.miaosha.common.order;

import io.quarkus.arc.properties.IfBuildProperty;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.util.concurrent.TimeoutException;

/**
 * Declares the order topology ({@link OrderTopology}) at startup, before anything publishes or consumes:
 * a message the API publishes before the worker ever ran must still find its queue. The producer
 * (flash-sale-api) and the consumer (order-worker) declare the same queues with the same arguments, so
 * either may start first. A service turns it on with the build setting
 * {@code miaosha.broker.declare-order-topology=true}; the others that use common (queue-gateway, functions)
 * never talk to the broker and leave it off.
 */
@Startup
@ApplicationScoped
@IfBuildProperty(name = "miaosha.broker.declare-order-topology", stringValue = "true")
public class OrderTopologyDeclarer {

    public OrderTopologyDeclarer(BrokerConfig broker) throws IOException, TimeoutException {
        OrderTopology.declare(broker);
    }
}
