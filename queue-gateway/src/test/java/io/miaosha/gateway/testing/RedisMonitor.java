package io.miaosha.gateway.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Redis's MONITOR for a moment, on its own connection: the commands (those run inside Lua scripts
 * too) that named a given text, to show that something was not read. Kept short: MONITOR slows the
 * shared server while it runs.
 */
public final class RedisMonitor {

    private RedisMonitor() {
    }

    /** The commands that Redis ran within the next {@code millis} ms and whose line contains {@code text}. */
    public static List<String> commandsNaming(String text, long millis) {
        List<String> seen = new CopyOnWriteArrayList<>();
        try (Socket socket = new Socket("127.0.0.1", 6379)) {
            OutputStream out = socket.getOutputStream();
            out.write("MONITOR\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            if (!"+OK".equals(in.readLine())) {
                throw new AssertionError("Redis refused MONITOR");
            }
            // Blocking reads on their own thread until the socket closes: no line is cut by a timeout.
            Thread reader = Thread.ofVirtual().start(() -> {
                try {
                    for (String line = in.readLine(); line != null; line = in.readLine()) {
                        if (line.contains(text)) {
                            seen.add(line);
                        }
                    }
                } catch (IOException closed) {
                    // The socket was closed at the end of the watch.
                }
            });
            QueueClient.sleep(millis);
            socket.close();
            reader.join();
        } catch (IOException e) {
            throw new UncheckedIOException("Redis must run on 127.0.0.1:6379 (scripts/lib/stack.sh starts it)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        return seen;
    }
}
