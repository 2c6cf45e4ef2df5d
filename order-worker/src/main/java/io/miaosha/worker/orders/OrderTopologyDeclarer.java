package io.miaosha.worker.orders;

import io.miaosha.common.order.OrderTopology;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Declares the order exchange and queue (same arguments as the API's) before consuming. */
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
