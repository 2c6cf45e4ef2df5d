package io.miaosha.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A redis-server of the test's own, on a free port with its own data directory, so the test may kill
 * it with SIGKILL and start it again (empty, or from its AOF) without touching the machine's Redis
 * on 6379. Only the process this class started is ever signalled.
 */
final class OwnRedis implements AutoCloseable {

    private final int port;
    private final Path dir;
    private final List<String> options;
    private Process process;
    private int lives;

    private OwnRedis(int port, Path dir, List<String> options) {
        this.port = port;
        this.dir = dir;
        this.options = options;
    }

    /** Without persistence: a restart after a kill starts empty, as a cache node that lost its data. */
    static OwnRedis withoutPersistence() throws IOException {
        return start(List.of("--save", "", "--appendonly", "no"));
    }

    /**
     * With an append-only file fsynced before every reply (appendfsync always): what a client was told
     * was written is on disk, so a kill -9 and restart loses none of it. Redis 7.0 has no WAITAOF
     * (7.2 does), so "everysec" would leave up to a second of acknowledged writes unsynced.
     */
    static OwnRedis withAppendOnlyFile() throws IOException {
        return start(List.of("--save", "", "--appendonly", "yes", "--appendfsync", "always"));
    }

    private static OwnRedis start(List<String> options) throws IOException {
        OwnRedis redis = new OwnRedis(freePort(), Files.createTempDirectory("miaosha-own-redis"), options);
        redis.launch();
        return redis;
    }

    String url() {
        return "redis://127.0.0.1:" + port;
    }

    int port() {
        return port;
    }

    /** SIGKILL: no shutdown, no last fsync, no save. */
    void kill9() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** Starts it again on the same port and directory (an empty Redis, or the AOF replayed). */
    void restart() throws IOException {
        launch();
    }

    /** One redis-cli command; its reply as redis-cli prints it (one line per element). */
    String cli(String... command) {
        List<String> full = new ArrayList<>(List.of("redis-cli", "-p", Integer.toString(port)));
        full.addAll(List.of(command));
        try {
            Process cli = new ProcessBuilder(full).redirectErrorStream(true).start();
            String out = new String(cli.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            cli.waitFor();
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("redis-cli is missing (apt-get install redis-tools)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void launch() throws IOException {
        List<String> command = new ArrayList<>(List.of("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--dir", dir.toString(), "--appendfilename", "appendonly.aof"));
        command.addAll(options);
        lives++;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("redis-" + lives + ".log").toFile()).start();
        } catch (IOException e) {
            throw new IllegalStateException("redis-server is missing (apt-get install redis-server)", e);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            // PING answers LOADING while an AOF is replayed: ready means PONG.
            if (portOpen() && "PONG".equals(cli("PING"))) {
                return;
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("redis-server exited; see " + dir);
            }
            sleep(50);
        }
        throw new IllegalStateException("redis-server on " + port + " was not ready; see " + dir);
    }

    private boolean portOpen() {
        try (Socket ignored = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException notYet) {
            return false;
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                kill9();
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
