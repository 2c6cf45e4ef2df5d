package io.miaosha.gateway.queue;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.miaosha.gateway.testing.LogCapture;
import io.miaosha.gateway.testing.QueueClient;
import io.miaosha.gateway.testing.QueueSales;
import io.miaosha.gateway.testing.RawWebSocket;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A client that breaks the protocol is closed with the RFC 6455 code for what it broke, costs at
 * most one log line and never a stack trace, and its ticket is treated like any closed socket's
 * (kept for the grace period, which is 3 s in tests).
 */
@QuarkusTest
class ProtocolErrorsTest {

    @Inject
    RedisDataSource redis;
    @TestHTTPResource("/")
    URL url;
    private QueueSales sales;

    @BeforeEach
    void sales() {
        sales = new QueueSales(redis);
    }

    @AfterEach
    void stopTickingTheSales() {
        sales.unqueueArmed();
    }

    interface Misbehaviour {
        void send(RawWebSocket socket) throws Exception;
    }

    @Test
    void textThatIsNotUtf8IsInvalidPayload() throws Exception {
        assertClosedWith(1007, s -> s.sendFrame(0x81, new byte[] {'{', (byte) 0xc3, (byte) 0x28, '}'}, true));
    }

    @Test
    void textThatIsNotJsonIsInvalidPayload() throws Exception {
        assertClosedWith(1007, s -> s.sendText("{\"type\":leave"));
    }

    @Test
    void jsonThatIsNotOneObjectWithDistinctKeysIsInvalidPayload() throws Exception {
        assertClosedWith(1007, s -> s.sendText("{\"type\":\"x\",\"type\":\"leave\"}"));
        assertClosedWith(1007, s -> s.sendText("[\"leave\"]"));
        assertClosedWith(1007, s -> s.sendText("{\"type\":\"leave\"} {}"));
    }

    @Test
    void aFrameOverTheSizeLimitIsTooBig() throws Exception {
        assertClosedWith(1009, s -> s.sendFrame(0x81, "x".repeat(5000).getBytes(StandardCharsets.UTF_8), true));
    }

    @Test
    void aMessageOverTheSizeLimitInSmallFramesIsTooBig() throws Exception {
        byte[] part = ("\"" + "x".repeat(700)).getBytes(StandardCharsets.UTF_8);
        assertClosedWith(1009, s -> {
            s.sendFrame(0x01, part, true); // text, not final
            s.sendFrame(0x80, part, true); // continuation, final: 1.4 KB in all
        });
    }

    @Test
    void anUnmaskedClientFrameIsAProtocolError() throws Exception {
        assertClosedWith(1002, s -> s.sendFrame(0x81, "{\"type\":\"leave\"}".getBytes(StandardCharsets.UTF_8), false));
    }

    @Test
    void aReservedOpcodeOrBitIsAProtocolError() throws Exception {
        assertClosedWith(1002, s -> s.sendFrame(0x83, "{}".getBytes(StandardCharsets.UTF_8), true));
        assertClosedWith(1002, s -> s.sendFrame(0xC1, "{}".getBytes(StandardCharsets.UTF_8), true));
    }

    @Test
    void aBinaryFrameIsUnacceptableData() throws Exception {
        assertClosedWith(1003, s -> s.sendFrame(0x82, new byte[] {1, 2, 3}, true));
    }

    private void assertClosedWith(int code, Misbehaviour misbehaviour) throws Exception {
        long saleId = sales.live(10, 1, 600_000);
        // Someone inside, so that the socket under test waits in line and has a ticket to keep.
        long first = sales.nextUserId();
        long user = sales.nextUserId();
        try (RawWebSocket inside = RawWebSocket.open("127.0.0.1", url.getPort(), "/ws/sales/" + saleId + "/queue", first)) {
            assertTrue(inside.readTextFrames(2, 5000).getLast().contains("admitted"));
            assertMisbehaviourClosesWith(code, misbehaviour, sales, saleId, user);
        }
    }

    private void assertMisbehaviourClosesWith(int code, Misbehaviour misbehaviour, QueueSales sales, long saleId, long user)
            throws Exception {
        try (RawWebSocket socket = RawWebSocket.open("127.0.0.1", url.getPort(), "/ws/sales/" + saleId + "/queue", user)) {
            assertTrue(socket.readTextFrames(2, 5000).getLast().contains("position"));
            try (LogCapture logs = LogCapture.start()) {
                misbehaviour.send(socket);
                RawWebSocket.Close close = socket.awaitClose(5000);
                assertNotNull(close, "closed within 5 s");
                assertEquals(code, close.code(), "close " + close + " after " + socket.texts);
                await().atMost(Duration.ofSeconds(3)).until(() -> sales.inGrace(saleId, user));
                QueueClient.sleep(200);
                List<LogRecord> lines = logs.records.stream().filter(r -> r.getLevel().intValue() >= Level.INFO.intValue())
                        .filter(r -> !r.getLoggerName().endsWith("AdmissionLoop")).toList();
                assertTrue(lines.size() <= 1, "at most one log line:\n" + logs.describe());
                assertTrue(logs.withStackTraces().isEmpty(), "no stack trace:\n" + logs.describe());
            }
            assertEquals(0, sales.sockets(saleId, user), "the close was counted like any other");
        }
    }
}
