package io.miaosha.api.outbox;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.miaosha.common.order.OrderTopology;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Declares the hold-timer queue of each hold duration the first time the relay meets it (see
 * {@link OrderTopology#declareHoldTimer}). Declaring before publishing matters: a confirmed message
 * that no queue takes is dropped, and its hold would never expire.
 */
@ApplicationScoped
public class HoldTimerQueues {

    private final Set<Long> declared = ConcurrentHashMap.newKeySet();
    private final String host;
    private final int port;
    private final String username;
    private final String password;
    private final String virtualHost;
    private Connection connection;

    public HoldTimerQueues(
            @ConfigProperty(name = "rabbitmq-host", defaultValue = "localhost") String host,
            @ConfigProperty(name = "rabbitmq-port", defaultValue = "5672") int port,
            @ConfigProperty(name = "rabbitmq-username", defaultValue = "guest") String username,
            @ConfigProperty(name = "rabbitmq-password", defaultValue = "guest") String password,
            @ConfigProperty(name = "rabbitmq-virtual-host", defaultValue = "/") String virtualHost) {
        this.host = host;
        this.port = port;
        this.username = username;
        this.password = password;
        this.virtualHost = virtualHost;
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
            if (connection == null || !connection.isOpen()) {
                connection = OrderTopology.connectionFactory(host, port, username, password, virtualHost)
                        .newConnection("miaosha-hold-timers");
            }
            try (Channel channel = connection.createChannel()) {
                OrderTopology.declareHoldTimer(channel, holdMs);
            }
            declared.add(holdMs);
        } catch (Exception e) {
            throw new IllegalStateException("could not declare the hold-timer queue for " + holdMs + " ms", e);
        }
    }

    @PreDestroy
    synchronized void close() {
        try {
            if (connection != null && connection.isOpen()) {
                connection.close();
            }
        } catch (Exception ignored) {
            // closing at shutdown; nothing left to protect
        }
    }
}
