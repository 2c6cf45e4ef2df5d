package io.miaosha.gateway.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** A ticket id is an HMAC under the lottery key alone: the admission secret gives nothing away. */
class LotteryKeyTest {

    private static final String KEY = "a-lottery-key-of-the-gateways-only-0123456789";

    @Test
    void theTicketIdIsTheHmacOfSaleAndUserUnderTheLotteryKey() throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(KEY.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String hmac = HexFormat.of().formatHex(mac.doFinal("ticket|42|7".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(hmac.substring(0, 16), lottery(KEY).ticketId(42, 7));
    }

    @Test
    void anotherKeyGivesOtherTicketIds() {
        assertNotEquals(lottery(KEY).ticketId(42, 7), lottery(KEY + "x").ticketId(42, 7));
        assertNotEquals(lottery(KEY).ticketId(42, 7), lottery(KEY).ticketId(42, 8));
    }

    @Test
    void noKeyIsRefused() {
        assertThrows(IllegalStateException.class, () -> new Lottery(Optional::empty));
    }

    private static Lottery lottery(String key) {
        return new Lottery(() -> Optional.of(key));
    }
}
