package io.miaosha.common.redis;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.EventExecutor;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.impl.ContextInternal;
import io.vertx.core.impl.VertxInternal;
import io.vertx.redis.client.Redis;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * One Vert.x Redis client per event loop, each made on its own loop, for a hot path that answers from
 * the event loop its request came in on. Vert.x 4's Redis client binds every connection of its pool to
 * the context the client was made on, so the one client Quarkus makes reads every answer on a single
 * event loop, which then queues each answer to the loop of the request that asked and wakes that thread
 * (the fast path's largest single cost in BENCHMARKS.md's profile, and one loop decoding for all). With a
 * client per loop an answer is read and handled on the loop that sent the command, and Redis traffic is
 * spread over every loop. Each client is made from the same configuration as Quarkus's, so it follows
 * the same topology (standalone, replicas, sentinel, cluster) and recovers from a failover the same way.
 */
public final class EventLoopRedisClients implements AutoCloseable {

    private final Map<EventLoop, Redis> byLoop;
    private final Redis fallback;

    private EventLoopRedisClients(Map<EventLoop, Redis> byLoop, Redis fallback) {
        this.byLoop = byLoop;
        this.fallback = fallback;
    }

    /**
     * Makes one client per event loop of {@code vertx} with {@code factory}, run on that loop. Blocks until
     * all are made: call it from a thread that is not an event loop (startup).
     *
     * @param fallback the client for callers on no event loop of {@code vertx} (a worker, a test thread)
     */
    public static EventLoopRedisClients create(Vertx vertx, Supplier<Redis> factory, Redis fallback) {
        VertxInternal internal = (VertxInternal) vertx;
        ContextInternal any = internal.getOrCreateContext();
        Map<EventLoop, Redis> byLoop = new IdentityHashMap<>();
        for (EventExecutor executor : internal.getEventLoopGroup()) {
            EventLoop loop = (EventLoop) executor;
            ContextInternal onLoop = internal.createEventLoopContext(loop, any.workerPool(), any.classLoader());
            CompletableFuture<Redis> made = new CompletableFuture<>();
            // The client takes the context it is made on for all its connections (RedisConnectionManager).
            onLoop.runOnContext(ignored -> {
                try {
                    made.complete(factory.get());
                } catch (RuntimeException failure) {
                    made.completeExceptionally(failure);
                }
            });
            byLoop.put(loop, made.orTimeout(30, TimeUnit.SECONDS).join());
        }
        return new EventLoopRedisClients(byLoop, fallback);
    }

    /** The client whose connections live on the calling thread's event loop, or the fallback. */
    public Redis current() {
        Context context = Vertx.currentContext();
        if (context instanceof ContextInternal internal) {
            Redis own = byLoop.get(internal.nettyEventLoop());
            if (own != null) {
                return own;
            }
        }
        return fallback;
    }

    @Override
    public void close() {
        byLoop.values().forEach(Redis::close);
    }
}
