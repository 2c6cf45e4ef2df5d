package io.miaosha.gateway.queue;

import jakarta.enterprise.context.ApplicationScoped;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A pre-opening arrival's ticket: a fraction in (0, 1) from an HMAC of (sale, user) under the
 * lottery key, which only the gateway instances hold (whoever knows it can compute every draw). Uniform and unpredictable, so the order at opening is a fair lottery, and fixed per
 * user and sale, so leaving and rejoining (or many reloads) cannot re-roll a bad draw.
 */
@ApplicationScoped
public class Lottery {

    private static final double SCALE = 1L << 52;

    private final ThreadLocal<Mac> macs;

    public Lottery(LotteryConfig config) {
        SecretKeySpec key = new SecretKeySpec(config.key().filter(k -> !k.isBlank())
                .orElseThrow(() -> new IllegalStateException("no lottery key: set MIAOSHA_LOTTERY_KEY (miaosha.lottery.key)"))
                .getBytes(StandardCharsets.UTF_8), "HmacSHA256");
        this.macs = ThreadLocal.withInitial(() -> {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(key);
                return mac;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    public double draw(long saleId, long userId) {
        byte[] digest = macs.get().doFinal((saleId + "|" + userId).getBytes(StandardCharsets.US_ASCII));
        long bits = ByteBuffer.wrap(digest).getLong() >>> 12;
        return (bits + 1) / (SCALE + 2);
    }
}
