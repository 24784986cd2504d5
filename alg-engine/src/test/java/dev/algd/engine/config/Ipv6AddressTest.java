package dev.algd.engine.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class Ipv6AddressTest {

    @Test
    void textIsRfc5952Canonical() {
        assertEquals("2001:db8::1", Ipv6Address.parse("2001:0DB8:0000:0000:0000:0000:0000:0001").toString());
        assertEquals("::", Ipv6Address.parse("::").toString());
        assertEquals("::1", Ipv6Address.parse("::1").toString());
        assertEquals("fe80::", Ipv6Address.parse("fe80::").toString());
        // RFC 5952 §4.2.2: a single zero group is not shortened; §4.2.3: the first of two equal runs is.
        assertEquals("2001:db8:0:1:1:1:1:1", Ipv6Address.parse("2001:db8:0:1:1:1:1:1").toString());
        assertEquals("2001:0:0:1::1", Ipv6Address.parse("2001:0:0:1:0:0:0:1").toString());
        assertEquals("2001:db8::1:0:0:1", Ipv6Address.parse("2001:db8:0:0:1:0:0:1").toString());
    }

    @Test
    void parsedHalvesAreNetworkOrder() {
        Ipv6Address address = Ipv6Address.parse("2001:db8::ffff:1");
        assertEquals(0x2001_0db8_0000_0000L, address.high());
        assertEquals(0x0000_0000_ffff_0001L, address.low());
    }

    @Test
    void hostNamesZonesAndIpv4AreRefused() {
        assertThrows(IllegalArgumentException.class, () -> Ipv6Address.parse("localhost"));
        assertThrows(IllegalArgumentException.class, () -> Ipv6Address.parse("fe80::1%eth0"));
        assertThrows(IllegalArgumentException.class, () -> Ipv6Address.parse("192.0.2.1"));
        assertThrows(IllegalArgumentException.class, () -> Ipv6Address.parse("2001:db8::g"));
    }

    @Test
    void prefixContainsItsRangeOnly() {
        Ipv6Prefix prefix = Ipv6Prefix.parse("2001:db8:1::/64");
        assertTrue(prefix.contains(Ipv6Address.parse("2001:db8:1::ffff")));
        assertFalse(prefix.contains(Ipv6Address.parse("2001:db8:2::1")));
        assertEquals("2001:db8:1:0:ffff:ffff:ffff:ffff", prefix.last().toString());
        assertTrue(Ipv6Prefix.parse("::/0").contains(Ipv6Address.parse("ff02::1")));
        Ipv6Prefix host = Ipv6Prefix.parse("2001:db8::5/127");
        assertTrue(host.contains(Ipv6Address.parse("2001:db8::4")));
        assertFalse(host.contains(Ipv6Address.parse("2001:db8::6")));
    }

    @Test
    void rangeComparesUnsignedAcrossTheHalves() {
        AddressRange range = AddressRange.parse("2001:db8::ffff:ffff:ffff:fff0-2001:db8:0:1::10");
        assertTrue(range.contains6(0x2001_0db8_0000_0001L, 0x5L));
        assertTrue(range.contains6(0x2001_0db8_0000_0000L, 0xffff_ffff_ffff_fff5L));
        assertFalse(range.contains6(0x2001_0db8_0000_0000L, 0x5L));
        assertFalse(range.contains(0), "an IPv6 range holds no IPv4 address");
        assertEquals(AddressFamily.MIXED, AddressFamily.of(range, AddressRange.parse("192.0.2.0/24")));
    }
}
