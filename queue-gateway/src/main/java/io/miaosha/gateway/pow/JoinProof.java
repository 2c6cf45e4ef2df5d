package io.miaosha.gateway.pow;

/**
 * What a socket brought to pay for its join, taken from the upgrade request before its headers are
 * dropped: the ALTCHA solution (the {@code altcha} query parameter, base64) and the client's address.
 * Held only until the join is decided, so an idle socket keeps none of it.
 */
public record JoinProof(String solution, String address) {
}
