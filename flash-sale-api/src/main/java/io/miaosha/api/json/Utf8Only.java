package io.miaosha.api.json;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.io.IOContext;
import com.fasterxml.jackson.core.io.InputDecorator;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;

/**
 * JSON between systems is UTF-8 without a byte order mark (RFC 8259 §8.1). Jackson would detect UTF-16
 * or UTF-32 and skip a BOM, so one body would have several spellings and what a proxy or a log read
 * would differ from what we read; such bodies are refused as unreadable JSON instead. JSON text starts
 * with an ASCII character, so the first four bytes tell: a first byte EF, FE, FF or 00 (a BOM, UTF-16BE,
 * UTF-32BE) or a zero byte after it (UTF-16LE, UTF-32LE) is never UTF-8 JSON. A decorator on the
 * parser (not a JAX-RS reader interceptor) so that the purchase path keeps Quarkus REST's direct body read.
 */
final class Utf8Only extends InputDecorator {

    private static final int HEAD = 4;

    @Override
    public InputStream decorate(IOContext context, InputStream in) {
        return new Checked(in);
    }

    @Override
    public InputStream decorate(IOContext context, byte[] src, int offset, int length) throws IOException {
        for (int i = 0; i < Math.min(HEAD, length); i++) {
            check(i, src[offset + i]);
        }
        return null; // read the array as it is
    }

    @Override
    public Reader decorate(IOContext context, Reader reader) {
        return null; // already characters: nothing to tell
    }

    private static void check(int position, byte b) throws JsonParseException {
        int value = b & 0xff;
        if (position == 0 && value == 0xEF) {
            throw refused("The body must be UTF-8 JSON without a byte order mark");
        }
        if (value == 0 || (position == 0 && (value == 0xFE || value == 0xFF))) {
            throw refused("The body must be UTF-8 JSON; it looks like UTF-16 or UTF-32");
        }
    }

    private static JsonParseException refused(String why) {
        return new JsonParseException((JsonParser) null, why);
    }

    /** Checks the first bytes as they are read, then gets out of the way. */
    private static final class Checked extends FilterInputStream {

        private int position;

        Checked(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0 && position < HEAD) {
                check(position++, (byte) b);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int read = in.read(buffer, offset, length);
            for (int i = 0; i < read && position < HEAD; i++) {
                check(position++, buffer[offset + i]);
            }
            return read;
        }
    }
}
