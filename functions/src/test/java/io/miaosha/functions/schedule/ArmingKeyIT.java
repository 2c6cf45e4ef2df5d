package io.miaosha.functions.schedule;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The packaged function (production profile, behind the local scheduler as the run command starts
 * it) refuses a committed or short arming key at startup, and runs its schedule with a fresh one.
 */
class ArmingKeyIT {

    private static final Path JAR = Path.of(System.getProperty("miaosha.it.functions-jar", "target/functions-1.0.0-SNAPSHOT-runner.jar"));
    // Nothing listens there: the fresh-key run reaches the point of calling the API, which is all it needs to show.
    private static final String NO_API = "http://127.0.0.1:9";

    @Test
    void theCommittedArmingKeyIsRefusedAtStartup() throws Exception {
        Run run = schedule("local-dev-arming-key");
        assertNotEquals(0, run.exitCode(), run.output());
        assertTrue(run.output().contains("miaosha.schedule.arming-key (environment variable MIAOSHA_ARMING_KEY) is the default committed"),
                run.output());
    }

    @Test
    void anArmingKeyShorterThan32BytesIsRefusedAtStartup() throws Exception {
        Run run = schedule("short-key");
        assertNotEquals(0, run.exitCode(), run.output());
        assertTrue(run.output().contains("miaosha.schedule.arming-key (environment variable MIAOSHA_ARMING_KEY) is shorter than 32 bytes"),
                run.output());
    }

    @Test
    void aFreshArmingKeyRunsTheSchedule() throws Exception {
        Run run = schedule("0123456789abcdef0123456789abcdef0123456789abcdef");
        assertTrue(run.output().contains("{\"lookaheadMinutes\":15,\"task\":\"arm-upcoming\"} failed"), run.output());
        assertFalse(run.output().contains("refuses to start"), run.output());
    }

    private record Run(int exitCode, String output) {
    }

    /** Starts the local scheduler with the key; returns when it exits or has reported its first run. */
    private static Run schedule(String armingKey) throws IOException, InterruptedException {
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException("no packaged function at " + JAR + ": run mvnw verify (package) first");
        }
        Path log = Files.createTempFile("arming-key-it-", ".log");
        ProcessBuilder builder = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "--add-opens", "java.base/java.lang=ALL-UNNAMED", "-cp", JAR.toString(),
                "io.miaosha.functions.local.LocalEventSource", "schedule"))
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(Map.of("MIAOSHA_ARMING_KEY", armingKey, "MIAOSHA_API_URL", NO_API,
                "ARM_EVERY_SECONDS", "60", "SCALE_IN_EVERY_SECONDS", "900"));
        Process process = builder.start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline) {
                if (process.waitFor(200, TimeUnit.MILLISECONDS)) {
                    return new Run(process.exitValue(), Files.readString(log));
                }
                if (Files.readString(log).contains("\"task\":\"arm-upcoming\"}")) {
                    return new Run(0, Files.readString(log));
                }
            }
            throw new IllegalStateException("the scheduler neither exited nor ran within 60 s; see " + log);
        } finally {
            process.destroy();
            process.waitFor();
        }
    }
}
