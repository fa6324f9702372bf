package cn.xinqiao.screening.domain;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * Who is logging in, as far as the network says. The address is the nearest one not appended by one of our own
 * hops: {@code X-Forwarded-For} is read from the right, and only while the hop that wrote an entry is trusted
 * (the ingress, the web BFF). Entries a client wrote itself, to the left, are never believed. The budget is kept
 * per network: an IPv4 address (a school behind NAT is one address), an IPv6 /64 (one subscriber's prefix, which
 * hands out addresses at will).
 */
public final class ClientNetworks {

    /** A CIDR block of trusted hops. */
    public record Block(byte[] prefix, int bits) {

        public static Block parse(String cidr) {
            String[] parts = cidr.strip().split("/", 2);
            byte[] address = literal(parts[0]);
            if (address == null) {
                throw new IllegalArgumentException("not an IP address block: " + cidr);
            }
            int bits = parts.length == 2 ? Integer.parseInt(parts[1]) : address.length * 8;
            if (bits < 0 || bits > address.length * 8) {
                throw new IllegalArgumentException("not an IP address block: " + cidr);
            }
            return new Block(address, bits);
        }

        boolean contains(byte[] address) {
            if (address.length != prefix.length) {
                return false;
            }
            for (int bit = 0; bit < bits; bit++) {
                int mask = 0x80 >>> (bit % 8);
                if ((address[bit / 8] & mask) != (prefix[bit / 8] & mask)) {
                    return false;
                }
            }
            return true;
        }
    }

    private static final int MAX_HOPS = 20;

    private final List<Block> trusted;

    public ClientNetworks(List<String> trustedHops) {
        this.trusted = trustedHops.stream().filter(s -> !s.isBlank()).map(Block::parse).toList();
    }

    /**
     * The client's address: {@code peer} (the TCP connection's far end) unless it is a trusted hop, then the
     * right-most {@code X-Forwarded-For} entry not written by a trusted hop.
     */
    public String client(String peer, List<String> forwardedFor) {
        String current = peer;
        byte[] address = literal(peer);
        if (address == null) {
            return "unknown";
        }
        List<String> chain = new ArrayList<>();
        for (String header : forwardedFor) {
            for (String entry : header.split(",")) {
                chain.add(entry.strip());
            }
        }
        for (int i = chain.size() - 1, hops = 0; i >= 0 && trusted(address) && hops < MAX_HOPS; i--, hops++) {
            byte[] next = literal(chain.get(i));
            if (next == null) {
                return current; // garbage written by someone we do not trust: stop at the last good hop
            }
            current = chain.get(i);
            address = next;
        }
        return current;
    }

    /** The key a failure budget is kept under: an IPv4 address, or an IPv6 /64 written {@code 2001:db8:1:2::/64}. */
    public static String network(String client) {
        byte[] a = literal(client);
        if (a == null) {
            return "unknown";
        }
        if (a.length == 4) {
            return (a[0] & 0xff) + "." + (a[1] & 0xff) + "." + (a[2] & 0xff) + "." + (a[3] & 0xff);
        }
        StringBuilder out = new StringBuilder(24);
        for (int i = 0; i < 8; i += 2) {
            out.append(Integer.toHexString(((a[i] & 0xff) << 8) | (a[i + 1] & 0xff))).append(':');
        }
        return out.append(":/64").toString();
    }

    private boolean trusted(byte[] address) {
        for (Block b : trusted) {
            if (b.contains(address)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The bytes of an IP literal, or null. Only literals are handed to {@link InetAddress} (dotted decimal, or
     * something with a colon), so no name is ever looked up. An IPv4-mapped IPv6 address reads as IPv4.
     */
    static byte[] literal(String s) {
        if (s == null || s.isEmpty() || s.length() > 45) {
            return null;
        }
        boolean v6 = s.indexOf(':') >= 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= '0' && c <= '9') || c == '.' || (v6 && (c == ':' || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')));
            if (!ok) {
                return null;
            }
        }
        if (!v6) {
            String[] octets = s.split("\\.", -1);
            if (octets.length != 4) {
                return null;
            }
            byte[] out = new byte[4];
            for (int i = 0; i < 4; i++) {
                if (octets[i].isEmpty() || octets[i].length() > 3 || Integer.parseInt(octets[i]) > 255) {
                    return null;
                }
                out[i] = (byte) Integer.parseInt(octets[i]);
            }
            return out;
        }
        try {
            return InetAddress.getByName(s).getAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
