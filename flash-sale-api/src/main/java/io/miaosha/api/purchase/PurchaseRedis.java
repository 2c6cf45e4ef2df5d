package io.miaosha.api.purchase;

import io.miaosha.common.redis.EventLoopRedisClients;
import io.quarkus.proxy.ProxyConfigurationRegistry;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.runtime.client.VertxRedisClientFactory;
import io.quarkus.redis.runtime.client.config.RedisClientConfig;
import io.quarkus.redis.runtime.client.config.RedisConfig;
import io.quarkus.runtime.Startup;
import io.smallrye.config.SmallRyeConfig;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The purchase fast path's Redis clients: one per event loop (see {@link EventLoopRedisClients}), made
 * at startup from the default client's own configuration ({@code quarkus.redis.*}), so a purchase's
 * answer is read on the loop that serves its request. Callers off the event loops get Quarkus's client.
 */
@Startup
@ApplicationScoped
public class PurchaseRedis {

    private final EventLoopRedisClients clients;

    public PurchaseRedis(Vertx vertx, ReactiveRedisDataSource redis, io.quarkus.tls.TlsConfigurationRegistry tls,
            ProxyConfigurationRegistry proxies) {
        RedisClientConfig config = ConfigProvider.getConfig().unwrap(SmallRyeConfig.class)
                .getConfigMapping(RedisConfig.class).clients().get(RedisConfig.DEFAULT_CLIENT_NAME);
        this.clients = EventLoopRedisClients.create(vertx,
                () -> VertxRedisClientFactory.create(RedisConfig.DEFAULT_CLIENT_NAME, vertx, config, tls, proxies),
                redis.getRedis().getDelegate());
    }

    /** The client for the calling thread's event loop. */
    public Redis current() {
        return clients.current();
    }

    @PreDestroy
    void close() {
        clients.close();
    }
}
