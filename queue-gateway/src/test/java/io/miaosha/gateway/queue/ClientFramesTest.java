package io.miaosha.gateway.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.miaosha.gateway.queue.ClientFrames.Kind;
import org.junit.jupiter.api.Test;

class ClientFramesTest {

    @Test
    void leaveIsTheOneMessageAClientSends() {
        assertEquals(Kind.LEAVE, ClientFrames.kind("{\"type\":\"leave\"}"));
        assertEquals(Kind.LEAVE, ClientFrames.kind(" { \"type\" : \"leave\" , \"why\": \"bored\" } "));
    }

    @Test
    void anObjectOfAnotherTypeIsUnknownNotInvalid() {
        assertEquals(Kind.UNKNOWN, ClientFrames.kind("{\"type\":\"hello\"}"));
        assertEquals(Kind.UNKNOWN, ClientFrames.kind("{}"));
        assertEquals(Kind.UNKNOWN, ClientFrames.kind("{\"type\":1}"));
    }

    @Test
    void anythingButOneJsonObjectWithDistinctKeysIsInvalid() {
        for (String text : new String[] {"", "leave", "{\"type\":\"leave\"", "[\"leave\"]", "\"leave\"", "null",
                "{\"type\":\"leave\"} {}", "{\"type\":\"x\",\"type\":\"leave\"}", "{\"type\":\"le\uFFFDve\"}"}) {
            assertEquals(Kind.INVALID, ClientFrames.kind(text), text);
        }
    }
}
