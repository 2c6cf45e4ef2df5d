package io.miaosha.gateway.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Every log record the application writes while open (Quarkus routes its logging through
 * java.util.logging in tests), to check what a misbehaving client costs in log lines.
 */
public final class LogCapture extends Handler implements AutoCloseable {

    public final List<LogRecord> records = new CopyOnWriteArrayList<>();

    private LogCapture() {
    }

    public static LogCapture start() {
        LogCapture capture = new LogCapture();
        Logger.getLogger("").addHandler(capture);
        return capture;
    }

    /** Records of this logger category prefix (for example "io.quarkus.websockets" or "io.miaosha"). */
    public List<LogRecord> from(String category) {
        return records.stream().filter(r -> r.getLoggerName() != null && r.getLoggerName().startsWith(category)).toList();
    }

    /** Records that carry a throwable: what would print a stack trace. */
    public List<LogRecord> withStackTraces() {
        return records.stream().filter(r -> r.getThrown() != null).toList();
    }

    public String describe() {
        StringBuilder text = new StringBuilder();
        for (LogRecord r : records) {
            text.append(r.getLevel()).append(' ').append(r.getLoggerName()).append(": ").append(r.getMessage())
                    .append(r.getThrown() != null ? " [" + r.getThrown() + "]" : "").append('\n');
        }
        return text.toString();
    }

    @Override
    public void publish(LogRecord record) {
        records.add(record);
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        Logger.getLogger("").removeHandler(this);
    }
}
