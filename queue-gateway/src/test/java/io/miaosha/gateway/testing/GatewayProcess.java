package io.miaosha.gateway.testing;

import java.io.File;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A packaged queue-gateway started as its own process (java -jar), as production runs it. */
public final class GatewayProcess implements AutoCloseable {

    public final String instanceId;
    public final int port;
    public final Path log;
    private final Process process;

    private GatewayProcess(String instanceId, int port, Path log, Process process) {
        this.instanceId = instanceId;
        this.port = port;
        this.log = log;
        this.process = process;
    }

    public static GatewayProcess start(String instanceId, Map<String, String> env) throws IOException {
        String jar = System.getProperty("gateway.jar", "target/quarkus-app/quarkus-run.jar");
        if (!new File(jar).isFile()) {
            throw new IllegalStateException("no packaged gateway at " + jar + ": run mvnw verify -pl queue-gateway");
        }
        int port = freePort();
        Path log = Files.createTempFile("queue-gateway-" + instanceId, ".log");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-jar", jar));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(env);
        builder.environment().put("PORT", Integer.toString(port));
        builder.environment().put("MIAOSHA_QUEUE_INSTANCE_ID", instanceId);
        builder.environment().put("MIAOSHA_REDIS_URL",
                "redis://127.0.0.1:6379/" + System.getenv().getOrDefault("MIAOSHA_TEST_REDIS_DB", "5"));
        GatewayProcess gateway = new GatewayProcess(instanceId, port, log, builder.start());
        gateway.awaitReady();
        return gateway;
    }

    public long pid() {
        return process.pid();
    }

    /** kill -9: no shutdown hook, no goodbye to Redis or the clients. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            process.waitFor();
        }
    }

    private void awaitReady() {
        long deadline = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("gateway " + instanceId + " exited; see " + log);
            }
            try {
                HttpURLConnection connection = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + "/q/health/ready")
                        .toURL().openConnection();
                if (connection.getResponseCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            QueueClient.sleep(200);
        }
        throw new IllegalStateException("gateway " + instanceId + " not ready within 30 s; see " + log);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
