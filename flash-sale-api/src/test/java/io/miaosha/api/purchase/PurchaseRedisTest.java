package io.miaosha.api.purchase;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;
import io.vertx.core.impl.ContextInternal;
import io.vertx.core.impl.VertxInternal;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The fast path's Redis answer is read on the event loop that asked: each loop has its own client, whose
 * connections live on that loop, so no answer is handed from one loop to another.
 */
@QuarkusTest
class PurchaseRedisTest {

    @Inject
    PurchaseRedis clients;
    @Inject
    Vertx vertx;
    @Inject
    ReactiveRedisDataSource redis;

    @Test
    void everyEventLoopHasItsOwnClientWhoseAnswersArriveOnThatLoop() throws Exception {
        VertxInternal internal = (VertxInternal) vertx;
        ContextInternal any = internal.getOrCreateContext();
        Set<Redis> seen = new HashSet<>();
        List<CompletableFuture<String>> answers = new ArrayList<>();
        for (var executor : internal.getEventLoopGroup()) {
            ContextInternal onLoop = internal.createEventLoopContext((io.netty.channel.EventLoop) executor,
                    any.workerPool(), any.classLoader());
            // Several calls per loop: a pooled connection reused or a new one, each must answer here.
            for (int call = 0; call < 20; call++) {
                CompletableFuture<String> answer = new CompletableFuture<>();
                answers.add(answer);
                onLoop.runOnContext(ignored -> {
                    Thread asking = Thread.currentThread();
                    Redis client = clients.current();
                    synchronized (seen) {
                        seen.add(client);
                    }
                    client.send(Request.cmd(Command.PING)).onComplete(reply -> answer.complete(reply.failed()
                            ? "failed: " + reply.cause()
                            : Thread.currentThread() == asking ? reply.result().toString() : "answered on " + Thread.currentThread()));
                });
            }
        }
        for (CompletableFuture<String> answer : answers) {
            assertEquals("PONG", answer.get(10, TimeUnit.SECONDS));
        }
        int loops = 0;
        for (var ignored : internal.getEventLoopGroup()) {
            loops++;
        }
        assertEquals(loops, seen.size(), "one client per event loop");
        assertNotSame(redis.getRedis().getDelegate(), seen.iterator().next());
    }

    @Test
    void offTheEventLoopsItIsQuarkusClient() {
        assertSame(redis.getRedis().getDelegate(), clients.current());
    }
}
