package io.miaosha.common.events;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

/** Reading and writing the versioned JSON objects of this package. */
final class EventJson {

    /** The version every producer writes today. */
    static final int VERSION = 1;

    private EventJson() {
    }

    static JsonObject object() {
        return new JsonObject().put("v", VERSION);
    }

    /** The message as an object of the known version; refuses anything else with the reason. */
    static JsonObject parse(String text) {
        JsonObject json;
        try {
            json = new JsonObject(text);
        } catch (DecodeException | ClassCastException e) {
            throw new IllegalArgumentException("not a JSON object: " + text);
        }
        Object version = json.getValue("v");
        if (!(version instanceof Number number) || number.intValue() != VERSION) {
            throw new IllegalArgumentException("unsupported version " + version + ": " + text);
        }
        return json;
    }

    static long number(JsonObject json, String name) {
        if (!(json.getValue(name) instanceof Number number)) {
            throw new IllegalArgumentException("field '" + name + "' is not a number: " + json.encode());
        }
        return number.longValue();
    }

    static String text(JsonObject json, String name) {
        if (!(json.getValue(name) instanceof String text)) {
            throw new IllegalArgumentException("field '" + name + "' is not a string: " + json.encode());
        }
        return text;
    }
}
