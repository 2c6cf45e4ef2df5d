package io.miaosha.worker.messaging;

/**
 * The order row an event refers to is not in MySQL yet: OrderPlaced travels on another queue and
 * may arrive later. Worth a retry.
 */
public class NotYetPersisted extends RuntimeException {

    public NotYetPersisted(String orderId) {
        super("order " + orderId + " is not in MySQL yet", null, false, false);
    }
}
