package io.miaosha.gateway.queue;

import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A shopper's public ticket id in a sale's pre-opening draw: the first 16 hex characters (64 bits) of
 * an HMAC of "ticket|sale|user" under the lottery key, which only the gateway instances hold. Fixed
 * per user and sale, so leaving and rejoining (or many reloads) cannot re-roll a bad draw; without
 * the key nobody can tell whose id it is, or make one up, so the published list of entrants names
 * nobody. The draw value itself comes from the id and the sale's committed seed (DrawFunction).
 */
@ApplicationScoped
public class Lottery {

    private static final HexFormat HEX = HexFormat.of();

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

    public String ticketId(long saleId, long userId) {
        byte[] digest = macs.get().doFinal(("ticket|" + saleId + "|" + userId).getBytes(StandardCharsets.US_ASCII));
        return HEX.formatHex(digest, 0, 8);
    }
}
