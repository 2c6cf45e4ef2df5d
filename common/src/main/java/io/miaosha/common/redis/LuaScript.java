package io.miaosha.common.redis;

import io.miaosha.common.text.Digests;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One Lua script from {@code src/main/resources/lua}, called by its SHA-1. The digest is computed
 * locally, so a call costs one round trip; only when the node that owns the keys does not know the
 * script (a restart, a failover, a new shard: NOSCRIPT) is the call repeated once with the body (EVAL).
 */
public final class LuaScript {

    private final String name;
    private final String body;
    private final String sha;

    private LuaScript(String name, String body) {
        this.name = name;
        this.body = body;
        this.sha = Digests.sha1Hex(body);
    }

    public static LuaScript fromClasspath(String name) {
        String path = "lua/" + name;
        try (InputStream in = LuaScript.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing Lua script on the classpath: " + path);
            }
            return new LuaScript(name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String name() {
        return name;
    }

    public Uni<Response> call(ReactiveRedisDataSource redis, List<String> keys, List<String> args) {
        String[] command = command(keys, args);
        return redis.execute("EVALSHA", command)
                .onFailure(LuaScript::isNoScript)
                .recoverWithUni(() -> redis.execute("EVAL", withBody(command)));
    }

    /**
     * The same call on Vert.x's own Redis client, answered as a Vert.x future on the connection's event
     * loop: no Mutiny operators and no context capture around it. For the purchase hot path, where
     * those cost more CPU than the round trip itself (BENCHMARKS.md, the fast path's profile).
     */
    public io.vertx.core.Future<io.vertx.redis.client.Response> send(io.vertx.redis.client.Redis redis, List<String> keys,
            List<String> args) {
        String[] command = command(keys, args);
        return redis.send(request(io.vertx.redis.client.Command.EVALSHA, command))
                .recover(failure -> isNoScript(failure)
                        ? redis.send(request(io.vertx.redis.client.Command.EVAL, withBody(command)))
                        : io.vertx.core.Future.failedFuture(failure));
    }

    private static io.vertx.redis.client.Request request(io.vertx.redis.client.Command command, String[] args) {
        io.vertx.redis.client.Request request = io.vertx.redis.client.Request.cmd(command);
        for (String arg : args) {
            request.arg(arg);
        }
        return request;
    }

    private String[] command(List<String> keys, List<String> args) {
        String[] command = new String[2 + keys.size() + args.size()];
        command[0] = sha;
        command[1] = Integer.toString(keys.size());
        int i = 2;
        for (String key : keys) {
            command[i++] = key;
        }
        for (String arg : args) {
            command[i++] = arg;
        }
        return command;
    }

    /** A script's answer and how many replicas had acknowledged every write before it (WAIT's answer). */
    public record Acknowledged(Response result, long replicas) {
    }

    /**
     * The call followed by {@code WAIT replicas timeoutMs} in one batch: one connection, so WAIT
     * counts this script's writes, and, on a cluster, the node owning the script's keys (the client
     * routes a batch by its keyed commands; a WAIT sent on its own would go to any master). Costs
     * no extra round trip, only the replication delay, bounded by the timeout.
     */
    public Uni<Acknowledged> callAndWait(ReactiveRedisDataSource redis, List<String> keys, List<String> args, int replicas,
            long timeoutMs) {
        String[] command = command(keys, args);
        Redis client = redis.getRedis();
        return client.batch(List.of(request(Command.EVALSHA, command), waitFor(replicas, timeoutMs)))
                .onFailure(LuaScript::isNoScript)
                .recoverWithUni(() -> client.batch(List.of(request(Command.EVAL, withBody(command)), waitFor(replicas, timeoutMs))))
                .map(answers -> new Acknowledged(answers.get(0), answers.get(1).toLong()));
    }

    private static Request request(Command command, String[] args) {
        return Request.newInstance(request(command.getDelegate(), args));
    }

    private static Request waitFor(int replicas, long timeoutMs) {
        return Request.cmd(Command.WAIT).arg(replicas).arg(timeoutMs);
    }

    /**
     * The same call with the body instead of the digest. EVAL is routed by its keys like EVALSHA and
     * caches the script on the node that runs it, so the next EVALSHA there succeeds. SCRIPT LOAD
     * has no key: in cluster mode the client sends it to any node, usually not the one that owns the
     * keys, and the EVALSHA after it failed with NOSCRIPT again.
     */
    private String[] withBody(String[] command) {
        String[] eval = command.clone();
        eval[0] = body;
        return eval;
    }

    private static boolean isNoScript(Throwable failure) {
        String message = failure.getMessage();
        // A batch reports a command's error as "ERR [index] NOSCRIPT ...", a lone command as "NOSCRIPT ...".
        return message != null && (message.startsWith("NOSCRIPT") || message.contains("] NOSCRIPT "));
    }

}
