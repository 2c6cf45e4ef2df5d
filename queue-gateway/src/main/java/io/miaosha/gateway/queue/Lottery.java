package io.miaosha.gateway.queue;

import io.miaosha.gateway.admission.AdmissionSigner;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A pre-opening arrival's ticket: a fraction in (0, 1) from an HMAC of (sale, user) under the
 * shared secret. Uniform and unpredictable, so the order at opening is a fair lottery, and fixed per
 * user and sale, so leaving and rejoining (or many reloads) cannot re-roll a bad draw.
 */
@ApplicationScoped
public class Lottery {

    private static final double SCALE = 1L << 52;

    private final ThreadLocal<Mac> macs;

    public Lottery(AdmissionSigner.AdmissionConfig config) {
        SecretKeySpec key = new SecretKeySpec(("lottery|" + config.secret()).getBytes(StandardCharsets.UTF_8), "HmacSHA256");
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
