package io.miaosha.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.vertx.core.MultiMap;
import org.junit.jupiter.api.Test;

class SessionAuthCheckTest {

    @Test
    void findsTheBearerEntryAmongTheOfferedSubprotocols() {
        assertEquals("abc.def.ghi", SessionAuthCheck.bearer("miaosha.v1, bearer.abc.def.ghi"));
        assertNull(SessionAuthCheck.bearer("miaosha.v1"));
        assertNull(SessionAuthCheck.bearer("miaosha.v1, bearer."));
        assertNull(SessionAuthCheck.bearer(null));
    }

    @Test
    void afterTheCheckOnlyTheHandshakeHeadersStayAndTheTokenIsGone() {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap()
                .add("Host", "localhost:8082").add("Upgrade", "websocket").add("Connection", "Upgrade")
                .add("Sec-WebSocket-Key", "k").add("Sec-WebSocket-Version", "13")
                .add("Sec-WebSocket-Protocol", "miaosha.v1, bearer.secret.session.token")
                .add("Cookie", "a=b; c=d").add("User-Agent", "Mozilla/5.0").add("Accept-Language", "en");

        SessionAuthCheck.keepOnlyHandshakeHeaders(headers);

        assertEquals("miaosha.v1", headers.get("Sec-WebSocket-Protocol"));
        assertEquals(5 + 1, headers.size());
        assertNull(headers.get("Cookie"));
        assertNull(headers.get("User-Agent"));
    }
}
