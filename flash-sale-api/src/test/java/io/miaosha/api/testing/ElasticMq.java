package io.miaosha.api.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.File;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Starts ElasticMQ (the SQS stand-in) as a real java process on the test SQS port, unless one is
 * already listening there, and stops only the process it started.
 */
public class ElasticMq implements QuarkusTestResourceLifecycleManager {

    public static final int PORT = Integer.parseInt(System.getenv().getOrDefault("MIAOSHA_TEST_SQS_PORT", "18324"));
    public static final String QUEUE_URL = "http://127.0.0.1:" + PORT + "/000000000000/miaosha-email";

    private Process process;

    @Override
    public Map<String, String> start() {
        if (!listening()) {
            Path servers = Path.of("..", "local-servers").toAbsolutePath().normalize();
            Path classpath = servers.resolve("target/elasticmq");
            if (!Files.isDirectory(classpath)) {
                throw new IllegalStateException("ElasticMQ is not fetched: run './mvnw install -pl local-servers' first");
            }
            try {
                ProcessBuilder builder = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"),
                        "-Xmx256m", "-Dconfig.file=" + servers.resolve("elasticmq.conf"),
                        "-cp", classpath + File.separator + "*", "org.elasticmq.server.Main")
                        .redirectErrorStream(true)
                        .redirectOutput(Path.of("target", "elasticmq.log").toFile());
                builder.environment().put("ELASTICMQ_PORT", Integer.toString(PORT));
                process = builder.start();
            } catch (IOException e) {
                throw new IllegalStateException("could not start ElasticMQ", e);
            }
            long deadline = System.currentTimeMillis() + 60_000;
            while (!listening()) {
                if (!process.isAlive() || System.currentTimeMillis() > deadline) {
                    throw new IllegalStateException("ElasticMQ did not start; see target/elasticmq.log");
                }
                sleep();
            }
        }
        return Map.of();
    }

    @Override
    public void stop() {
        if (process != null) {
            process.destroy();
        }
    }

    private static boolean listening() {
        try (Socket ignored = new Socket("127.0.0.1", PORT)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
