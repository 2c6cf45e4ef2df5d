package io.miaosha.common.redis;

/**
 * The "now" the services pass to the scripts that compare times (purchase.lua: opening, closing and
 * pay-by; pay.lua and release_hold.lua: pay-by): {@link #SERVER}, which makes the script read the
 * clock of the Redis server it runs on (TIME). Every API instance and worker then decides on the one
 * clock of the sale's master, so an instance whose clock runs ahead cannot expire a hold early or open
 * a sale early, and one running behind cannot take a payment after the worker released the hold.
 * Tests still pass an explicit epoch-ms time to put a script at a chosen moment.
 */
public final class RedisClock {

    /** Tells a script to use the Redis server's clock. */
    public static final long SERVER = 0;

    private RedisClock() {
    }
}
