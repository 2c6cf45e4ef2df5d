package io.miaosha.api.arming;

import io.miaosha.common.events.SaleEvent;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.pubsub.ReactivePubSubCommands;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Announces sale state changes to every instance over Redis pub/sub. */
@ApplicationScoped
public class SaleEvents {

    private final ReactivePubSubCommands<String> pubsub;

    public SaleEvents(ReactiveRedisDataSource redis) {
        this.pubsub = redis.pubsub(String.class);
    }

    public Uni<Void> publish(SaleEvent.Type type, long saleId) {
        return pubsub.publish(SaleEvent.CHANNEL, new SaleEvent(type, saleId).encode());
    }
}
