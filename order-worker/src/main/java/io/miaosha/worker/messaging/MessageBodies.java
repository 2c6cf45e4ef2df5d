package io.miaosha.worker.messaging;

import io.miaosha.common.order.OrderBatch;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A message body as a JSON object, whatever the connector made of it: a JsonObject when the
 * publisher said application/json, raw bytes or text otherwise. Anything that is not a JSON object
 * is an IllegalArgumentException, which the consumers park: a poison message must never reach the
 * stream as an exception, or the connector would stop consuming altogether.
 */
public final class MessageBodies {

    private MessageBodies() {
    }

    public static Map<String, Object> jsonObject(Object payload) {
        try {
            return switch (payload) {
                case JsonObject json -> json.getMap();
                case byte[] bytes -> new JsonObject(Buffer.buffer(bytes)).getMap();
                case Buffer buffer -> new JsonObject(buffer).getMap();
                case String text -> new JsonObject(text).getMap();
                case null -> throw new IllegalArgumentException("empty body");
                default -> throw new IllegalArgumentException("not a JSON object: " + payload.getClass().getSimpleName());
            };
        } catch (RuntimeException notJson) {
            throw notJson instanceof IllegalArgumentException illegal ? illegal
                    : new IllegalArgumentException("not a JSON object: " + notJson.getMessage(), notJson);
        }
    }

    /** Whether a body is a batch of orders rather than one. */
    public static boolean isBatch(Map<String, Object> body) {
        return body.containsKey(OrderBatch.ORDERS_FIELD);
    }

    /**
     * The orders a body carries: a batch's ({@code {"orders":[...]}}, {@link io.miaosha.common.order.OrderBatch}),
     * or the body itself when it is a lone order.
     */
    @SuppressWarnings("unchecked")
    public static List<Map<String, Object>> orders(Map<String, Object> body) {
        if (!isBatch(body)) {
            return List.of(body);
        }
        Object orders = body.get(OrderBatch.ORDERS_FIELD);
        if (!(orders instanceof List<?> list) || list.isEmpty()) {
            throw new IllegalArgumentException("'orders' is not a list of orders");
        }
        List<Map<String, Object>> each = new ArrayList<>(list.size());
        for (Object order : list) {
            switch (order) {
                case Map<?, ?> map -> each.add((Map<String, Object>) map);
                case JsonObject json -> each.add(json.getMap());
                case null, default -> throw new IllegalArgumentException("an element of 'orders' is not an order: " + order);
            }
        }
        return each;
    }

    /** The body as it will be republished: JSON stays JSON, anything else keeps its bytes. */
    public static Object republishable(Object payload) {
        return switch (payload) {
            case JsonObject json -> json;
            case byte[] bytes -> bytes;
            case Buffer buffer -> buffer.getBytes();
            case String text -> text.getBytes(StandardCharsets.UTF_8);
            case null -> new byte[0];
            default -> String.valueOf(payload).getBytes(StandardCharsets.UTF_8);
        };
    }
}
