package io.miaosha.worker.messaging;

import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import java.util.stream.StreamSupport;
import org.eclipse.microprofile.config.Config;

/**
 * Keeps a broker reconnect from ending a consumer for good. After the RabbitMQ connector reconnects,
 * its consumer no longer honours demand (smallrye-reactive-messaging issues 1906 and 2424): the broker
 * pushes a whole prefetch of messages at once into the stream's hand-over buffer (Mutiny's "small"
 * buffer, 256 by default), and a burst larger than that fails the stream with "Queue is full, the
 * upstream didn't enforce the requests". The channel then never consumes again while the service
 * looks healthy; a whole-broker restart under load did exactly that to both workers.
 *
 * <p>The broker never has more than a channel's prefetch (max-outstanding-messages) unacked on it, so
 * a buffer of twice the largest prefetch (what the dead channel left in the buffer plus the new
 * channel's burst) cannot overflow. Set before Reactive Messaging subscribes its channels.
 */
@ApplicationScoped
public class ReconnectBurstBuffer {

    private static final String PREFIX = "mp.messaging.incoming.";
    private static final String PREFETCH = ".max-outstanding-messages";
    private static final int MUTINY_DEFAULT = 256;

    void sizeBeforeChannelsStart(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent started, Config config) {
        int size = bufferFor(largestPrefetch(config));
        Infrastructure.setBufferSizeS(size);
        Log.debugf("stream hand-over buffers hold %d messages", size);
    }

    static int largestPrefetch(Config config) {
        return StreamSupport.stream(config.getPropertyNames().spliterator(), false)
                .filter(name -> name.startsWith(PREFIX) && name.endsWith(PREFETCH))
                .mapToInt(name -> config.getValue(name, Integer.class))
                .max()
                .orElse(0);
    }

    static int bufferFor(int largestPrefetch) {
        return Math.max(MUTINY_DEFAULT, 2 * largestPrefetch);
    }
}
