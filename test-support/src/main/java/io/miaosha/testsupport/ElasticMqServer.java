package io.miaosha.testsupport;

import java.io.File;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * ElasticMQ (the SQS stand-in) as a real java process on the test SQS port, started unless one is
 * already listening there; {@link #stop()} ends only a process this started. The modules' Quarkus
 * test resources wrap it.
 */
public final class ElasticMqServer {

    public static final int PORT = Integer.parseInt(System.getenv().getOrDefault("MIAOSHA_TEST_SQS_PORT", "18324"));
    public static final String QUEUE_URL = "http://127.0.0.1:" + PORT + "/000000000000/miaosha-email";

    private final Process process;

    private ElasticMqServer(Process process) {
        this.process = process;
    }

    /** Run from a module's directory: the servers are fetched into ../local-servers, the log goes to target/. */
    public static ElasticMqServer startUnlessListening() {
        if (listening()) {
            return new ElasticMqServer(null);
        }
        Path servers = Path.of("..", "local-servers").toAbsolutePath().normalize();
        Path classpath = servers.resolve("target/elasticmq");
        if (!Files.isDirectory(classpath)) {
            throw new IllegalStateException("ElasticMQ is not fetched: run './mvnw install -pl local-servers' first");
        }
        Process process;
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
        return new ElasticMqServer(process);
    }

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
