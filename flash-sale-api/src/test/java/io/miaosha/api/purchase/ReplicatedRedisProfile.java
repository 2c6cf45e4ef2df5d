package io.miaosha.api.purchase;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The API on a Redis master with one replica of its own (two redis-server processes on free ports,
 * their own directories, ended by PID), with the durable acknowledgement on: one replica must hold a
 * purchase before it is answered 202. The replica can be paused (SIGSTOP) so that it stops
 * acknowledging, as a replica that fell behind or is cut off would.
 */
public class ReplicatedRedisProfile implements QuarkusTestProfile {

    private static volatile RedisPair pair;

    public static RedisPair pair() {
        return pair;
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("miaosha.purchase.durable-replicas", "1", "miaosha.purchase.durable-timeout", "PT0.2S");
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(PairResource.class));
    }

    public static class PairResource implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            pair = RedisPair.start();
            return Map.of("quarkus.redis.hosts", "redis://127.0.0.1:" + pair.masterPort());
        }

        @Override
        public void stop() {
            if (pair != null) {
                pair.stop();
            }
        }
    }

    /** A master and its replica, each a redis-server this test started. */
    public record RedisPair(int masterPort, int replicaPort, Process master, Process replica, Path dir) {

        static RedisPair start() {
            try {
                Path dir = Files.createTempDirectory("miaosha-durable-ack");
                int masterPort = freePort();
                int replicaPort = freePort();
                Process master = server(dir, "master", masterPort);
                awaitPort(masterPort);
                Process replica = server(dir, "replica", replicaPort, "--replicaof", "127.0.0.1", Integer.toString(masterPort));
                awaitPort(replicaPort);
                RedisPair pair = new RedisPair(masterPort, replicaPort, master, replica, dir);
                pair.awaitReplicaInSync();
                return pair;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private static Process server(Path dir, String name, int port, String... more) throws IOException {
            Path data = Files.createDirectories(dir.resolve(name));
            List<String> command = new java.util.ArrayList<>(List.of("redis-server", "--port", Integer.toString(port),
                    "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", data.toString()));
            command.addAll(List.of(more));
            return new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(dir.resolve(name + ".log").toFile()).start();
        }

        public void pauseReplica() {
            signal("STOP");
        }

        public void resumeReplica() {
            signal("CONT");
            awaitReplicaInSync();
        }

        /** Reads a key's type on the replica, as a promoted replica would serve it. */
        public String onReplica(String... command) {
            return cli(replicaPort, command);
        }

        void stop() {
            signal("CONT");
            replica.destroy();
            master.destroy();
            for (Process process : List.of(replica, master)) {
                try {
                    process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        private void awaitReplicaInSync() {
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (System.nanoTime() < deadline) {
                if (cli(replicaPort, "INFO", "replication").contains("master_link_status:up")) {
                    return;
                }
                sleep(100);
            }
            throw new IllegalStateException("the replica on " + replicaPort + " did not sync with its master");
        }

        private void signal(String signal) {
            try {
                new ProcessBuilder("kill", "-" + signal, Long.toString(replica.pid())).start().waitFor();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private static String cli(int port, String... command) {
            List<String> full = new java.util.ArrayList<>(List.of("redis-cli", "-p", Integer.toString(port)));
            full.addAll(List.of(command));
            try {
                Process process = new ProcessBuilder(full).redirectErrorStream(true).start();
                String out = new String(process.getInputStream().readAllBytes());
                process.waitFor();
                return out.trim();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "";
            }
        }

        private static int freePort() throws IOException {
            try (ServerSocket socket = new ServerSocket(0)) {
                return socket.getLocalPort();
            }
        }

        private static void awaitPort(int port) {
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (System.nanoTime() < deadline) {
                try (Socket ignored = new Socket("127.0.0.1", port)) {
                    return;
                } catch (IOException notYet) {
                    sleep(50);
                }
            }
            throw new IllegalStateException("redis-server did not open port " + port);
        }

        private static void sleep(long ms) {
            try {
                Thread.sleep(ms);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
