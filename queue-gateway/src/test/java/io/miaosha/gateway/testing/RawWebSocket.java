package io.miaosha.gateway.testing;

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
 * that check what the server wrote (client libraries may drop frames bundled with the 101).
 * Handles unfragmented, unmasked server frames of up to 64 KB: what the gateway sends.
 */
public final class RawWebSocket implements AutoCloseable {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Socket socket;
    private final InputStream in;

    private RawWebSocket(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
    }

    public static RawWebSocket open(String host, int port, String path, long userId) throws IOException {
        Socket socket = new Socket(host, port);
        byte[] nonce = new byte[16];
        RANDOM.nextBytes(nonce);
        String request = "GET " + path + " HTTP/1.1\r\nHost: " + host + ":" + port + "\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: " + Base64.getEncoder().encodeToString(nonce) + "\r\n"
                + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: miaosha.v1, bearer." + Sessions.of(userId) + "\r\n\r\n";
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
                socket.setSoTimeout((int) Math.max(1, deadline - System.currentTimeMillis()));
                int first = readByte();
                int second = readByte();
                long length = second & 0x7f;
                if (length == 126) {
                    length = (readByte() << 8) | readByte();
                } else if (length == 127) {
                    throw new IOException("frame too large for this client");
                }
                byte[] payload = in.readNBytes((int) length);
                if ((first & 0x0f) == 0x1) {
                    frames.add(new String(payload, StandardCharsets.UTF_8));
                } else if ((first & 0x0f) == 0x8) {
                    break;
                }
            }
        } catch (SocketTimeoutException timedOut) {
            // Fewer frames than asked for: the caller sees how many arrived.
        }
        return frames;
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
