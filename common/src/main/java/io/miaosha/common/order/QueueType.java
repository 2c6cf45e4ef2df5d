package io.miaosha.common.order;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The type of the order queues ({@code miaosha.broker.queue-type}). Classic is the default because
 * a queue's type cannot change in place: brokers that already hold the classic queues keep them.
 * A RabbitMQ cluster (Amazon MQ's, or scripts/run.sh --cluster) uses quorum queues, replicated on
 * every node; message TTL (hold timers, retry back-off) and dead-lettering work on them from 3.10.
 */
public enum QueueType {
    CLASSIC,
    QUORUM;

    /** "classic" or "quorum", any case; anything else is refused with the setting's name. */
    public static QueueType parse(String value) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "miaosha.broker.queue-type must be classic or quorum, not '" + value + "'", e);
        }
    }

    /**
     * A queue's declaration arguments with this type added. Classic adds nothing, so the declaration
     * stays equal to the one existing queues were made with (the broker refuses a different one).
     */
    public Map<String, Object> arguments(Map<String, Object> arguments) {
        if (this == CLASSIC) {
            return arguments;
        }
        Map<String, Object> typed = new HashMap<>(arguments == null ? Map.of() : arguments);
        typed.put("x-queue-type", "quorum");
        return typed;
    }
}
