package io.miaosha.api.outbox;

import io.miaosha.common.order.OrderTopology;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Declares the order queue before the relay publishes, so no confirmed order can be unroutable. */
@Startup
@ApplicationScoped
public class OrderTopologyDeclarer {

    public OrderTopologyDeclarer(
            @ConfigProperty(name = "rabbitmq-host", defaultValue = "localhost") String host,
            @ConfigProperty(name = "rabbitmq-port", defaultValue = "5672") int port,
            @ConfigProperty(name = "rabbitmq-username", defaultValue = "guest") String username,
            @ConfigProperty(name = "rabbitmq-password", defaultValue = "guest") String password,
            @ConfigProperty(name = "rabbitmq-virtual-host", defaultValue = "/") String virtualHost) throws Exception {
        OrderTopology.declare(host, port, username, password, virtualHost);
    }
}
