package cn.xinqiao.screening;

import cn.xinqiao.screening.domain.AccessCodeVault;
import cn.xinqiao.screening.domain.BirthDates;
import cn.xinqiao.screening.domain.ClientNetworks;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The plain parts of the student login: the birth date as typed, the client's network, and how codes are kept. */
class StudentLoginFactorsTest {

    @Test
    void theWaysAStudentTypesABirthDate() {
        LocalDate d = LocalDate.of(2010, 3, 4);
        for (String typed : List.of("2010-03-04", "2010-3-4", "2010/03/04", "2010.3.4", "20100304", "2010年3月4日", "２０１０－０３－０４",
                " 2010 年 03 月 04 日 ", "２０１０年３月４日")) {
            assertEquals(d, BirthDates.typed(typed), typed);
        }
        for (String typed : Arrays.asList(null, "", "2010-02-30", "2010-13-01", "10-03-04", "2010-03", "2010-03-04-05", "201034",
                "2010-003-04", "March 4 2010", "2010-03-04; drop table", "1".repeat(21))) {
            assertNull(BirthDates.typed(typed), String.valueOf(typed));
        }
    }

    @Test
    void theClientIsTheNearestAddressNoTrustedHopWrote() {
        ClientNetworks cluster = new ClientNetworks(List.of("10.0.0.0/8"));
        // ingress 10.1.0.5 appended the real client; the web BFF (peer 10.2.0.7) appended the ingress
        assertEquals("203.0.113.9", cluster.client("10.2.0.7", List.of("6.6.6.6, 203.0.113.9, 10.1.0.5")));
        assertEquals("203.0.113.9", cluster.client("10.2.0.7", List.of("6.6.6.6", "203.0.113.9, 10.1.0.5")), "several header lines");
        // a client claiming to be one of our hops is still the first untrusted entry from the right
        assertEquals("203.0.113.9", cluster.client("10.2.0.7", List.of("10.3.3.3, 203.0.113.9, 10.1.0.5")));
        // a peer that is not a trusted hop is the client, whatever it writes
        assertEquals("198.51.100.1", cluster.client("198.51.100.1", List.of("203.0.113.9")));
        // garbage or a name where an address belongs stops at the last good hop (no name is ever looked up)
        assertEquals("10.1.0.5", cluster.client("10.2.0.7", List.of("example.com, 10.1.0.5")));
        assertEquals("10.2.0.7", cluster.client("10.2.0.7", List.of("999.1.1.1")));
        assertEquals("unknown", cluster.client(null, List.of("203.0.113.9")));
        ClientNetworks local = new ClientNetworks(List.of("127.0.0.0/8", "::1/128"));
        assertEquals("2001:db8::1", local.client("::1", List.of("2001:db8::1")));
        assertThrows(IllegalArgumentException.class, () -> new ClientNetworks(List.of("10.0.0.0/33")));
        assertThrows(IllegalArgumentException.class, () -> new ClientNetworks(List.of("intranet/8")));
    }

    @Test
    void aBudgetIsKeptPerIpv4AddressAndPerIpv6Slash64() {
        assertEquals("203.0.113.9", ClientNetworks.network("203.0.113.9"));
        assertEquals("2001:db8:1:2::/64", ClientNetworks.network("2001:db8:1:2:aaaa:bbbb:cccc:dddd"));
        assertEquals(ClientNetworks.network("2001:db8:1:2::1"), ClientNetworks.network("2001:db8:1:2:ffff::9"));
        assertNotEquals(ClientNetworks.network("2001:db8:1:2::1"), ClientNetworks.network("2001:db8:1:3::1"));
        assertEquals("203.0.113.9", ClientNetworks.network("::ffff:203.0.113.9"), "an IPv4-mapped address is the IPv4 one");
        assertEquals("unknown", ClientNetworks.network("not-an-address"));
    }

    @Test
    void aStoredCodeRevealsNothingWithoutTheSecretAndOpensOnlyWithIt() {
        AccessCodeVault vault = new AccessCodeVault("dGVzdC1vbmx5LWFjY2Vzcy1jb2RlLXNlY3JldC0wMTIzNDU2Nzg5YWJjZGVm");
        AccessCodeVault other = new AccessCodeVault("b3RoZXItZGVwbG95bWVudC1hY2Nlc3MtY29kZS1zZWNyZXQtMDEyMzQ1Njc4OQ==");
        String hash = vault.hash("ABCD2345");
        assertEquals(43, hash.length());
        assertEquals(hash, vault.hash("ABCD2345"), "the lookup key is stable");
        assertNotEquals(hash, other.hash("ABCD2345"), "and keyed: another secret, another key");
        byte[] sealed = vault.seal("ABCD2345");
        assertFalse(new String(sealed, StandardCharsets.ISO_8859_1).contains("ABCD2345"));
        assertFalse(Arrays.equals(sealed, vault.seal("ABCD2345")), "a fresh IV each time");
        assertEquals("ABCD2345", vault.open(sealed));
        assertThrows(IllegalStateException.class, () -> other.open(sealed));
        sealed[sealed.length - 1] ^= 1;
        assertThrows(IllegalStateException.class, () -> vault.open(sealed), "altered");
        assertThrows(IllegalArgumentException.class, () -> new AccessCodeVault("c2hvcnQ="), "a secret under 32 bytes");
    }
}
