package io.miaosha.common.redis;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.pubsub.ReactivePubSubCommands;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.Cancellable;
import java.time.Duration;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * A pub/sub subscription for the life of the process. Quarkus' own subscription ends for good, and
 * silently (its stream completes), when its connection closes: the Redis node it was on killed or
 * failed over, a restart, a {@code CLIENT KILL}, a cut network. A gateway subscribed through a
 * Redis Cluster master that failed over then never heard of an admission again. Here an end or a
 * failure subscribes again on a new connection, after a back-off from {@link #FIRST_RETRY} to
 * {@link #LAST_RETRY}, for as long as it takes. Messages published while no subscription stands are
 * missed (pub/sub keeps nothing), so a subscriber must tolerate a gap: each one here has a periodic
 * re-read or a recheck behind it.
 */
public final class LastingSubscription {

    private static final Logger LOG = Logger.getLogger(LastingSubscription.class);
    static final Duration FIRST_RETRY = Duration.ofMillis(200);
    static final Duration LAST_RETRY = Duration.ofSeconds(5);

    private LastingSubscription() {
    }

    /** Delivers every message of CHANNEL to HANDLER (a handler's exception is logged, not the end of it). */
    public static Cancellable follow(ReactiveRedisDataSource redis, String channel, Consumer<String> handler) {
        ReactivePubSubCommands<String> pubsub = redis.pubsub(String.class);
        return Multi.createFrom().deferred(() -> pubsub.subscribe(channel))
                .onCompletion().failWith(() -> new IllegalStateException("its connection closed"))
                .onFailure().invoke(failure -> LOG.warnf("subscription to %s lost (%s): subscribing again", channel,
                        failure.getMessage()))
                .onFailure().retry().withBackOff(FIRST_RETRY, LAST_RETRY).indefinitely()
                .subscribe().with(message -> {
                    try {
                        handler.accept(message);
                    } catch (RuntimeException e) {
                        LOG.warnf(e, "handling a message of %s failed", channel);
                    }
                }, failure -> LOG.errorf(failure, "subscription to %s given up", channel));
    }
}
