package io.miaosha.gateway.testing;

import io.miaosha.testsupport.SessionTokens;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * A WebSocket client over a plain socket that keeps every byte after the 101 response, for tests
 * that check what the server wrote (client libraries may drop frames bundled with the 101), and that
 * can send what no well-behaved client library would (bad UTF-8, unmasked or oversized frames).
 * Reads unfragmented, unmasked server frames: what the gateway sends.
 */
public final class RawWebSocket implements AutoCloseable {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Socket socket;
    private final InputStream in;

    private RawWebSocket(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
    }

    /** What the server's close frame said; {@code code} is -1 when the connection ended without one. */
    public record Close(int code, String reason) {
    }

    /**
     * Opens a socket; a queue path of a well-formed sale id without a query pays for the join first as a
     * scripted client would (the sale's challenge, solved). {@link #openAsGiven} sends the path untouched.
     */
    public static RawWebSocket open(String host, int port, String path, long userId) throws IOException {
        java.util.regex.Matcher queue = QUEUE_PATH.matcher(path);
        if (queue.matches()) {
            String solution = io.miaosha.testsupport.AltchaSolver.fetchAndSolve(
                    io.miaosha.testsupport.AltchaSolver.challengeUri(host, port, Long.parseLong(queue.group(1))));
            path = path + io.miaosha.testsupport.AltchaSolver.query(solution);
        }
        return openAsGiven(host, port, path, userId, java.util.Map.of());
    }

    private static final java.util.regex.Pattern QUEUE_PATH = java.util.regex.Pattern.compile("/ws/sales/([1-9][0-9]{0,17})/queue");

    /** Opens a socket on exactly this path (and query), with extra request headers. */
    public static RawWebSocket openAsGiven(String host, int port, String path, long userId, java.util.Map<String, String> headers)
            throws IOException {
        StringBuilder extra = new StringBuilder();
        headers.forEach((name, value) -> extra.append(name).append(": ").append(value).append("\r\n"));
        Socket socket = new Socket(host, port);
        byte[] nonce = new byte[16];
        RANDOM.nextBytes(nonce);
        String request = "GET " + path + " HTTP/1.1\r\nHost: " + host + ":" + port + "\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: " + Base64.getEncoder().encodeToString(nonce) + "\r\n"
                + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: miaosha.v1, bearer." + SessionTokens.dev().shopper(userId) + "\r\n"
                + extra + "\r\n";
        OutputStream out = socket.getOutputStream();
        out.write(request.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        RawWebSocket webSocket = new RawWebSocket(socket);
        String status = webSocket.readResponseHead();
        if (!status.startsWith("HTTP/1.1 101")) {
            socket.close();
            throw new IOException("upgrade refused: " + status);
        }
        return webSocket;
    }

    /** Reads up to {@code count} text frames, waiting at most {@code timeoutMs} in all. */
    public List<String> readTextFrames(int count, long timeoutMs) throws IOException {
        List<String> frames = new ArrayList<>();
        long deadline = System.currentTimeMillis() + timeoutMs;
        try {
            while (frames.size() < count) {
                Frame frame = readFrame(deadline);
                if (frame.opcode == 0xA) {
                    pongs++;
                } else if (frame.opcode == 0x9) {
                    pings++;
                } else if (frame.opcode == 0x1) {
                    frames.add(new String(frame.payload, StandardCharsets.UTF_8));
                } else if (frame.opcode == 0x8) {
                    close = closeOf(frame.payload);
                    answerClose(frame.payload);
                    break;
                }
            }
        } catch (SocketTimeoutException timedOut) {
            // Fewer frames than asked for: the caller sees how many arrived.
        }
        return frames;
    }

    /**
     * Reads until the server's close frame (text frames before it are kept in {@link #texts}); the
     * close, or code -1 when the connection ended without one, or null when nothing came in time.
     */
    public Close awaitClose(long timeoutMs) throws IOException {
        if (close != null) {
            return close;
        }
        long deadline = System.currentTimeMillis() + timeoutMs;
        try {
            while (true) {
                Frame frame = readFrame(deadline);
                if (frame.opcode == 0xA) {
                    pongs++;
                } else if (frame.opcode == 0x9) {
                    pings++;
                } else if (frame.opcode == 0x1) {
                    texts.add(new String(frame.payload, StandardCharsets.UTF_8));
                } else if (frame.opcode == 0x8) {
                    close = closeOf(frame.payload);
                    answerClose(frame.payload);
                    return close;
                }
            }
        } catch (SocketTimeoutException timedOut) {
            return null;
        } catch (IOException ended) {
            close = new Close(-1, ended.getMessage());
            return close;
        }
    }

    /** Text frames read by {@link #awaitClose}. */
    public final List<String> texts = new ArrayList<>();
    /** Pong frames read so far (answers to {@link #sendFrame} pings). */
    public int pongs;
    /** Ping frames the server sent, read so far (not answered: the server does not ask for the pong). */
    public int pings;
    private Close close;

    /** A masked text frame, as a browser sends it. */
    public void sendText(String text) throws IOException {
        sendFrame(0x81, text.getBytes(StandardCharsets.UTF_8), true);
    }

    /** A frame of the given first byte (FIN, RSV bits, opcode) and payload, masked as a client must or not. */
    public void sendFrame(int firstByte, byte[] payload, boolean masked) throws IOException {
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.write(firstByte);
        int mask = masked ? 0x80 : 0;
        if (payload.length < 126) {
            frame.write(mask | payload.length);
        } else if (payload.length < 65536) {
            frame.write(mask | 126);
            frame.write(payload.length >> 8);
            frame.write(payload.length & 0xff);
        } else {
            frame.write(mask | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                frame.write((int) ((long) payload.length >> shift) & 0xff);
            }
        }
        byte[] key = new byte[4];
        if (masked) {
            RANDOM.nextBytes(key);
            frame.write(key, 0, 4);
        }
        for (int i = 0; i < payload.length; i++) {
            frame.write(masked ? payload[i] ^ key[i % 4] : payload[i]);
        }
        OutputStream out = socket.getOutputStream();
        out.write(frame.toByteArray());
        out.flush();
    }

    private record Frame(int opcode, byte[] payload) {
    }

    private Frame readFrame(long deadline) throws IOException {
        socket.setSoTimeout((int) Math.max(1, deadline - System.currentTimeMillis()));
        int first = readByte();
        int second = readByte();
        long length = second & 0x7f;
        if (length == 126) {
            length = (readByte() << 8) | readByte();
        } else if (length == 127) {
            throw new IOException("frame too large for this client");
        }
        return new Frame(first & 0x0f, in.readNBytes((int) length));
    }

    /** As a browser does: the close handshake is answered with the same code, then the server ends TCP. */
    private void answerClose(byte[] payload) {
        try {
            sendFrame(0x88, payload.length >= 2 ? new byte[] {payload[0], payload[1]} : new byte[0], true);
        } catch (IOException gone) {
            // The server may have ended the connection already (a protocol error): nothing to answer.
        }
    }

    private static Close closeOf(byte[] payload) {
        if (payload.length < 2) {
            return new Close(1005, "");
        }
        return new Close(((payload[0] & 0xff) << 8) | (payload[1] & 0xff),
                new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8));
    }

    /** The status line; consumes the head up to the blank line and not one byte more. */
    private String readResponseHead() throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = readByte();
            head.write(b);
            matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3)) ? matched + 1 : 0;
        }
        String text = head.toString(StandardCharsets.US_ASCII);
        return text.substring(0, text.indexOf("\r\n"));
    }

    private int readByte() throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new IOException("connection closed by the server");
        }
        return b;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
