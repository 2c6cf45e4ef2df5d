package io.miaosha.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A packaged service (java -jar its quarkus-run.jar) as a real child process, as production runs it:
 * a test can crash it with SIGKILL (no shutdown hooks, no draining), or watch it refuse to start.
 * Readiness is {@code /q/health/ready} answering 200, as the run command and the checks wait for it
 * (scripts/lib/stack.sh).
 */
public final class ServiceProcess implements AutoCloseable {

    /** How an {@link Launch#attempt} ended: {@code started} (ready answered 200), else the exit code; the output either way. */
    public record Outcome(boolean started, int exitCode, String output) {
    }

    private final String name;
    private final Process process;
    private final int port;
    private final Path log;

    private ServiceProcess(String name, Process process, int port, Path log) {
        this.name = name;
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** A launch of this jar; it must exist (built by the module's package phase). */
    public static Launch jar(Path jar) {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("no packaged service at " + jar + ": run mvnw verify (package) first");
        }
        return new Launch(jar);
    }

    /** What to start, and how: every setting has a default that a test's start needs no word for. */
    public static final class Launch {
        private final Path jar;
        private String name;
        private Integer port;
        private String heap = "384m";
        private final List<String> jvmArgs = new ArrayList<>();
        private final Map<String, String> properties = new LinkedHashMap<>();
        private final Map<String, String> environment = new LinkedHashMap<>();
        private Path logs;

        private Launch(Path jar) {
            this.jar = jar;
            this.name = jar.getFileName().toString();
        }

        /** Names the log file and the errors. */
        public Launch name(String name) {
            this.name = name;
            return this;
        }

        /** The HTTP port (PORT and quarkus.http.port); a free one when not given. */
        public Launch port(int port) {
            this.port = port;
            return this;
        }

        public Launch heap(String heap) {
            this.heap = heap;
            return this;
        }

        public Launch jvmArg(String arg) {
            jvmArgs.add(arg);
            return this;
        }

        /** System properties (-Dkey=value), which win over the environment and application.properties. */
        public Launch properties(Map<String, String> values) {
            properties.putAll(values);
            return this;
        }

        /** Environment variables on top of this JVM's own; a null value removes one. */
        public Launch environment(Map<String, String> values) {
            environment.putAll(values);
            return this;
        }

        public Launch environment(String name, String value) {
            environment.put(name, value);
            return this;
        }

        /** Where the log goes (a directory, kept); a temporary file otherwise. */
        public Launch logsIn(Path directory) {
            this.logs = directory;
            return this;
        }

        /** Starts it and returns once it answers ready; fails when it exits or is not ready in time. */
        public ServiceProcess start(Duration within) throws IOException {
            ServiceProcess service = spawn();
            long deadline = System.nanoTime() + within.toNanos();
            while (System.nanoTime() < deadline) {
                if (!service.process.isAlive()) {
                    throw new IllegalStateException(name + " exited with " + service.process.exitValue() + "; see " + service.log);
                }
                if (service.ready()) {
                    return service;
                }
                pause();
            }
            service.process.destroyForcibly();
            throw new IllegalStateException(name + " was not ready within " + within + "; see " + service.log);
        }

        /**
         * Starts it and reports whether it refused (exited, with what it printed) or started (answered
         * ready); stops it either way. For the tests that prove a service refuses a configuration.
         */
        public Outcome attempt(Duration within) {
            try {
                ServiceProcess service = spawn();
                try {
                    long deadline = System.nanoTime() + within.toNanos();
                    while (System.nanoTime() < deadline) {
                        if (!service.process.isAlive()) {
                            return new Outcome(false, service.process.exitValue(), Files.readString(service.log));
                        }
                        // The HTTP server opens just before the startup observers run: a refusing service can
                        // answer ready for a moment, so "started" means still alive a second later.
                        if (service.ready() && !service.process.waitFor(1, TimeUnit.SECONDS)) {
                            return new Outcome(true, 0, Files.readString(service.log));
                        }
                        pause();
                    }
                    throw new IllegalStateException(name + " neither started nor exited within " + within + "; see " + service.log);
                } finally {
                    service.close();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        private ServiceProcess spawn() throws IOException {
            int httpPort = port != null ? port : freePort();
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx" + heap));
            command.addAll(jvmArgs);
            command.add("-Dquarkus.http.port=" + httpPort);
            properties.forEach((key, value) -> command.add("-D" + key + "=" + value));
            command.add("-jar");
            command.add(jar.toString());
            Path log;
            if (logs == null) {
                log = Files.createTempFile(name + "-", ".log");
            } else {
                Files.createDirectories(logs);
                log = logs.resolve(name + "-" + ProcessHandle.current().pid() + "-" + System.nanoTime() + ".log");
            }
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().put("PORT", Integer.toString(httpPort));
            environment.forEach((key, value) -> {
                if (value == null) {
                    builder.environment().remove(key);
                } else {
                    builder.environment().put(key, value);
                }
            });
            return new ServiceProcess(name, builder.start(), httpPort, log);
        }
    }

    public int port() {
        return port;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    public Path log() {
        return log;
    }

    public long pid() {
        return process.pid();
    }

    /** SIGKILL: the process gets no chance to finish, acknowledge or flush anything. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                kill();
            }
        }
    }

    @Override
    public String toString() {
        return name + " on " + port;
    }

    private boolean ready() {
        try {
            HttpURLConnection connection = (HttpURLConnection) URI.create(baseUrl() + "/q/health/ready").toURL().openConnection();
            connection.setConnectTimeout(500);
            connection.setReadTimeout(2000);
            return connection.getResponseCode() == 200;
        } catch (IOException notYet) {
            return false;
        }
    }

    private static void pause() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
