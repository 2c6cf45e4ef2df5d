package io.miaosha.functions.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Starts GreenMail (a real SMTP server with a REST API to read what it received) as a java process
 * on the test ports, unless one already listens there, and stops only the process it started.
 */
public class GreenMail implements QuarkusTestResourceLifecycleManager {

    public static final int SMTP_PORT = Integer.parseInt(System.getenv().getOrDefault("MIAOSHA_TEST_SMTP_PORT", "18325"));
    public static final int API_PORT = Integer.parseInt(System.getenv().getOrDefault("MIAOSHA_TEST_MAIL_API_PORT", "18390"));

    private Process process;

    @Override
    public Map<String, String> start() {
        if (!listening(SMTP_PORT) || !listening(API_PORT)) {
            Path jar = Path.of("..", "local-servers", "target", "greenmail", "greenmail-standalone.jar").toAbsolutePath().normalize();
            if (!Files.exists(jar)) {
                throw new IllegalStateException("GreenMail is not fetched: run './mvnw install -pl local-servers' first");
            }
            try {
                process = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-Xmx128m",
                        "-Dgreenmail.smtp.hostname=127.0.0.1", "-Dgreenmail.smtp.port=" + SMTP_PORT,
                        "-Dgreenmail.api.hostname=127.0.0.1", "-Dgreenmail.api.port=" + API_PORT,
                        "-Dgreenmail.auth.disabled", "-jar", jar.toString())
                        .redirectErrorStream(true).redirectOutput(Path.of("target", "greenmail.log").toFile()).start();
            } catch (IOException e) {
                throw new IllegalStateException("could not start GreenMail", e);
            }
            long deadline = System.currentTimeMillis() + 60_000;
            while (!listening(SMTP_PORT) || !listening(API_PORT)) {
                if (!process.isAlive() || System.currentTimeMillis() > deadline) {
                    throw new IllegalStateException("GreenMail did not start; see target/greenmail.log");
                }
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        return Map.of("quarkus.mailer.port", Integer.toString(SMTP_PORT));
    }

    @Override
    public void stop() {
        if (process != null) {
            process.destroy();
        }
    }

    static boolean listening(int port) {
        try (Socket ignored = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
