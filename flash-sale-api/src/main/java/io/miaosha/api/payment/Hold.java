package io.miaosha.api.payment;

/** A hold as the purchase script records it: "userId|quantity|payByMs|STATUS[|paymentId]". */
record Hold(long userId, int quantity, long payByMs, String status, String paymentId) {

    static Hold parse(String value) {
        String[] parts = value.split("\\|", -1);
        return new Hold(Long.parseLong(parts[0]), Integer.parseInt(parts[1]), Long.parseLong(parts[2]), parts[3],
                parts.length > 4 ? parts[4] : null);
    }

    boolean paid() {
        return "PAID".equals(status);
    }

    boolean expiredAt(long nowMs) {
        return "EXPIRED".equals(status) || nowMs >= payByMs;
    }
}
