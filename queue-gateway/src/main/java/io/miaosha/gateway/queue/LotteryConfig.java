package io.miaosha.gateway.queue;

import io.smallrye.config.ConfigMapping;
import java.util.Optional;

@ConfigMapping(prefix = "miaosha.lottery")
public interface LotteryConfig {

    /**
     * The HMAC key of the draw's ticket ids, the same on every gateway instance and known to nothing
     * else (not the admission secret, which flash-sale-api holds too): only it links a published
     * ticket id to a shopper. At least 32 bytes.
     */
    Optional<String> key();
}
