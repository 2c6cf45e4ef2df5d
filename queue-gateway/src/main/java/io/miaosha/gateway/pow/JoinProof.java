package io.miaosha.gateway.pow;

import io.quarkus.websockets.next.UserData;

/**
 * What a socket brought to pay for its join, taken from the upgrade request before its headers are
 * dropped: the ALTCHA solution (the {@code altcha} query parameter, base64) and the client's address.
 * Removed from the socket's user data as soon as the join is decided, so an idle socket keeps none of it.
 */
public record JoinProof(String solution, String address) {

    public static final UserData.TypedKey<JoinProof> KEY = new UserData.TypedKey<>("miaosha.joinProof");
}
