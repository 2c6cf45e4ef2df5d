package io.miaosha.api.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClientAddressTest {

    private static ClientAddress behind(int hops, String... trusted) {
        return new ClientAddress(new EdgeConfig() {
            @Override
            public List<String> trustedProxies() {
                return List.of(trusted);
            }

            @Override
            public int forwardedHops() {
                return hops;
            }
        });
    }

    @Test
    void behindNginxTheLastForwardedEntryIsTheClient() {
        ClientAddress edge = behind(1, "127.0.0.0/8", "::1/128");
        assertEquals("203.0.113.7", edge.of("127.0.0.1", "203.0.113.7"));
        assertEquals("203.0.113.7", edge.of("127.0.0.1", "6.6.6.6, 203.0.113.7"), "what the client prepended is ignored");
        assertEquals("203.0.113.7", edge.of("0:0:0:0:0:0:0:1", " 203.0.113.7 "));
    }

    @Test
    void fromAnUntrustedPeerTheHeaderIsIgnored() {
        ClientAddress edge = behind(1, "127.0.0.0/8");
        assertEquals("198.51.100.4", edge.of("198.51.100.4", "203.0.113.7"));
    }

    @Test
    void behindCloudFrontAndTheLoadBalancerTheClientIsTwoFromTheRight() {
        ClientAddress edge = behind(2, "10.0.0.0/16");
        assertEquals("203.0.113.7", edge.of("10.0.3.9", "6.6.6.6, 203.0.113.7, 130.176.0.1"));
        assertEquals("203.0.113.7", edge.of("10.0.3.9", "203.0.113.7"), "fewer entries than hops: the leftmost");
        assertEquals("10.1.0.1", edge.of("10.1.0.1", "203.0.113.7"), "10.1/16 is not the load balancer's");
    }

    @Test
    void ipv6ClientsAreKeyedByTheirSlash64AndGarbageFallsBackToThePeer() {
        ClientAddress edge = behind(1, "127.0.0.1/32");
        assertEquals("2001:db8:1:2:0:0:0:0/64", edge.of("127.0.0.1", "2001:db8:1:2:aaaa:bbbb:cccc:dddd"));
        assertEquals("2001:db8:1:2:0:0:0:0/64", edge.of("127.0.0.1", "2001:db8:1:2::1"));
        assertEquals("127.0.0.1", edge.of("127.0.0.1", "not-an-address"));
        assertEquals("127.0.0.1", edge.of("127.0.0.1", "example.com"), "never a DNS lookup");
        assertEquals("127.0.0.1", edge.of("127.0.0.1", "999.1.1.1"));
        assertEquals("unknown", edge.of(null, "203.0.113.7"));
    }
}
