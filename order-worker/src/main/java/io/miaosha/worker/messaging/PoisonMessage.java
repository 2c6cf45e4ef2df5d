package io.miaosha.worker.messaging;

/** A message that no retry can fix (malformed, or contradicting the state it would change): park it. */
public class PoisonMessage extends RuntimeException {

    public PoisonMessage(String reason) {
        super(reason, null, false, false);
    }
}
