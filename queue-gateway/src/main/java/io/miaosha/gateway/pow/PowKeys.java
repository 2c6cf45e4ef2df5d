package io.miaosha.gateway.pow;

import io.miaosha.common.sale.SaleKeys;

/**
 * The join limits' and the proof-of-work's keys of one sale, under the sale's hash tag (one shard for
 * pow_redeem.lua). Only the gateway reads or writes them; each one expires by itself.
 */
record PowKeys(SaleKeys sale) {

    PowKeys(long saleId) {
        this(new SaleKeys(saleId));
    }

    /** String: a spent solution, keyed by its challenge (a hash the server chose), until the challenge expires. */
    String used(String challenge) {
        return sale.tag() + ":pow:used:" + challenge;
    }

    /** Integer: joins of one account in the current limit window. */
    String account(long userId) {
        return sale.tag() + ":pow:acct:" + userId;
    }

    /** Integer: joins from one client address (see {@link ClientAddress}) in the current limit window. */
    String address(String address) {
        return sale.tag() + ":pow:addr:" + address;
    }

    /** Integer: joins of the sale in one second (epoch seconds); the difficulty reads the last two. */
    String rate(long epochSecond) {
        return sale.tag() + ":pow:rate:" + epochSecond;
    }
}
