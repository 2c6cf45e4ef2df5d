package io.miaosha.common.edge;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * The client's address as the edge saw it, for per-address limits (the API's log-in throttle, the
 * gateway's join limit). X-Forwarded-For is believed only from a trusted proxy (nginx locally, the load
 * balancer in AWS) and only as far as the trusted hops reach, so a client cannot choose its own address
 * by sending the header. IPv6 clients are keyed by their /64: one subscriber usually owns a whole /64 and
 * could otherwise take a fresh address for every attempt.
 */
public final class ForwardedClient {

    private final List<Cidr> trusted;
    private final int hops;

    /** @param trustedProxies CIDR blocks whose X-Forwarded-For is believed; {@code hops} of them in a row at most */
    public ForwardedClient(List<String> trustedProxies, int hops) {
        this.trusted = trustedProxies.stream().map(Cidr::parse).toList();
        this.hops = Math.max(1, hops);
    }

    /** The client's address key from the TCP peer's address and the X-Forwarded-For header as received; "unknown" without a peer. */
    public String of(String peerHost, String forwardedFor) {
        InetAddress peerAddress = parse(peerHost);
        if (peerAddress == null) {
            return "unknown";
        }
        InetAddress client = peerAddress;
        if (forwardedFor != null && isTrusted(peerAddress)) {
            String[] entries = forwardedFor.split(",", 64);
            InetAddress claimed = parse(entries[Math.max(0, entries.length - hops)].trim());
            if (claimed != null) {
                client = claimed;
            }
        }
        return key(client);
    }

    private boolean isTrusted(InetAddress address) {
        for (Cidr cidr : trusted) {
            if (cidr.contains(address)) {
                return true;
            }
        }
        return false;
    }

    static String key(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (bytes.length == 16) {
            byte[] prefix = new byte[16];
            System.arraycopy(bytes, 0, prefix, 0, 8);
            try {
                return InetAddress.getByAddress(prefix).getHostAddress() + "/64";
            } catch (UnknownHostException impossible) {
                throw new IllegalStateException(impossible);
            }
        }
        return address.getHostAddress();
    }

    /** Only literal addresses: a name here must never cause a DNS lookup. */
    static InetAddress parse(String literal) {
        if (literal == null || literal.isEmpty() || literal.length() > 45) {
            return null;
        }
        String text = literal.startsWith("[") && literal.endsWith("]") ? literal.substring(1, literal.length() - 1) : literal;
        boolean v4 = text.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'));
        boolean v6 = text.indexOf(':') >= 0 && text.chars().allMatch(c -> c == ':' || c == '.' || Character.digit(c, 16) >= 0);
        if (!v4 && !v6) {
            return null;
        }
        if (v4 && !text.matches("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}")) {
            return null;
        }
        try {
            return InetAddress.getByName(text);
        } catch (UnknownHostException notAnAddress) {
            return null;
        }
    }

    record Cidr(BigInteger network, BigInteger mask, int length) {

        static Cidr parse(String text) {
            String[] parts = text.trim().split("/");
            InetAddress address = ForwardedClient.parse(parts[0]);
            if (address == null || parts.length > 2) {
                throw new IllegalArgumentException("miaosha.edge.trusted-proxies: not a CIDR block: " + text);
            }
            int bits = address.getAddress().length * 8;
            int prefix = parts.length == 2 ? Integer.parseInt(parts[1]) : bits;
            if (prefix < 0 || prefix > bits) {
                throw new IllegalArgumentException("miaosha.edge.trusted-proxies: bad prefix length in " + text);
            }
            BigInteger mask = BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE)
                    .xor(BigInteger.ONE.shiftLeft(bits - prefix).subtract(BigInteger.ONE));
            return new Cidr(new BigInteger(1, address.getAddress()).and(mask), mask, bits);
        }

        boolean contains(InetAddress address) {
            byte[] bytes = address.getAddress();
            if (bytes.length * 8 != length) {
                return false;
            }
            return new BigInteger(1, bytes).and(mask).equals(network);
        }
    }
}
