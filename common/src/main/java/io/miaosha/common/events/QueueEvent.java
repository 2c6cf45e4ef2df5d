package io.miaosha.common.events;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * What a sale's admission step did, on {@value #CHANNEL}, published by queue_admit.lua in the same
 * atomic step, so every gateway instance tells its own sockets:
 * {@code {"v":1,"type":"admitted","saleId":42,"windowEndMs":1900000600000,"userIds":[7,8]}} and
 * {@code {"v":1,"type":"window_over","saleId":42,"userIds":[7,8]}} and
 * {@code {"v":1,"type":"limit_reached","saleId":42,"userIds":[9]}}.
 */
public sealed interface QueueEvent {

    String CHANNEL = "miaosha:queue-events";

    long saleId();

    String encode();

    /** These users were admitted; their shopping window ends at {@code windowEndMs}. */
    record Admitted(long saleId, long windowEndMs, List<Long> userIds) implements QueueEvent {
        public Admitted {
            userIds = List.copyOf(userIds);
        }

        @Override
        public String encode() {
            return EventJson.object().put("type", "admitted").put("saleId", saleId).put("windowEndMs", windowEndMs)
                    .put("userIds", new JsonArray(new ArrayList<>(userIds))).encode();
        }
    }

    /** The shopping windows of these users ended: their slots are free. */
    record WindowsOver(long saleId, List<Long> userIds) implements QueueEvent {
        public WindowsOver {
            userIds = List.copyOf(userIds);
        }

        @Override
        public String encode() {
            return EventJson.object().put("type", "window_over").put("saleId", saleId)
                    .put("userIds", new JsonArray(new ArrayList<>(userIds))).encode();
        }
    }

    /**
     * These users' tickets reached the front, but each already holds or bought the most a shopper may:
     * they were taken off the queue without a slot.
     */
    record LimitReached(long saleId, List<Long> userIds) implements QueueEvent {
        public LimitReached {
            userIds = List.copyOf(userIds);
        }

        @Override
        public String encode() {
            return EventJson.object().put("type", "limit_reached").put("saleId", saleId)
                    .put("userIds", new JsonArray(new ArrayList<>(userIds))).encode();
        }
    }

    static QueueEvent decode(String text) {
        JsonObject json = EventJson.parse(text);
        long saleId = EventJson.number(json, "saleId");
        return switch (EventJson.text(json, "type")) {
            case "admitted" -> new Admitted(saleId, EventJson.number(json, "windowEndMs"), userIds(json));
            case "window_over" -> new WindowsOver(saleId, userIds(json));
            case "limit_reached" -> new LimitReached(saleId, userIds(json));
            default -> throw new IllegalArgumentException("unknown queue event: " + text);
        };
    }

    private static List<Long> userIds(JsonObject json) {
        if (!(json.getValue("userIds") instanceof JsonArray array)) {
            throw new IllegalArgumentException("field 'userIds' is not an array: " + json.encode());
        }
        List<Long> ids = new ArrayList<>(array.size());
        for (Object id : array) {
            if (!(id instanceof Number number)) {
                throw new IllegalArgumentException("a user id is not a number: " + json.encode());
            }
            ids.add(number.longValue());
        }
        return ids;
    }
}
