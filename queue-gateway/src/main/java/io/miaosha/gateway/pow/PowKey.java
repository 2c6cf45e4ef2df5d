package io.miaosha.gateway.pow;

import jakarta.enterprise.context.ApplicationScoped;

/** The challenges' HMAC key, read once; startup fails without one (the dev and test profiles have a default). */
@ApplicationScoped
public class PowKey {

    private final String key;

    public PowKey(PowConfig config) {
        this.key = config.key().filter(k -> !k.isBlank())
                .orElseThrow(() -> new IllegalStateException("no proof-of-work key: set MIAOSHA_POW_KEY (miaosha.pow.key)"));
    }

    String value() {
        return key;
    }
}
