package io.miaosha.gateway.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** The draw is an HMAC under the lottery key alone: the admission secret gives nothing away. */
class LotteryKeyTest {

    private static final String KEY = "a-lottery-key-of-the-gateways-only-0123456789";

    @Test
    void theDrawIsTheHmacOfSaleAndUserUnderTheLotteryKey() throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(KEY.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        long bits = ByteBuffer.wrap(mac.doFinal("42|7".getBytes(StandardCharsets.US_ASCII))).getLong() >>> 12;
        assertEquals((bits + 1) / ((double) (1L << 52) + 2), lottery(KEY).draw(42, 7));
    }

    @Test
    void anotherKeyDrawsAnotherOrder() {
        assertNotEquals(lottery(KEY).draw(42, 7), lottery(KEY + "x").draw(42, 7));
    }

    @Test
    void noKeyIsRefused() {
        assertThrows(IllegalStateException.class, () -> new Lottery(Optional::empty));
    }

    private static Lottery lottery(String key) {
        return new Lottery(() -> Optional.of(key));
    }
}
