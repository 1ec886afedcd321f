package dev.astrid.host.spi.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The address classification matrix, upstream's cases and the IPv6 forms of IPv4 addresses. */
class AddressRulesTest {
    private static InetAddress ip(String literal) throws UnknownHostException {
        return InetAddress.getByName(literal);
    }

    @ParameterizedTest
    @CsvSource({
        "0.0.0.0, unspecified", "0.1.2.3, unspecified", "10.0.0.1, private", "10.255.255.255, private",
        "172.16.0.1, private", "172.31.255.255, private", "192.168.1.1, private", "100.64.0.1, shared",
        "100.127.255.255, shared", "127.0.0.1, loopback", "127.255.0.9, loopback", "169.254.169.254, link-local",
        "192.0.0.8, reserved", "224.0.0.1, multicast", "239.255.255.250, multicast", "240.0.0.1, reserved",
        "255.255.255.255, reserved", "::, unspecified", "::1, loopback", "fe80::1, link-local", "febf::1, link-local",
        "fec0::1, site-local", "fc00::1, unique local", "fd00:ec2::254, unique local", "ff02::1, multicast",
        "::ffff:127.0.0.1, loopback", "::ffff:10.1.2.3, private", "::ffff:169.254.169.254, link-local",
        "::127.0.0.1, loopback", "::10.0.0.1, private", "64:ff9b::7f00:1, loopback", "64:ff9b::a9fe:a9fe, link-local",
    })
    void nonPublicAddressesAreRefusedWithTheirKind(String literal, String kind) throws UnknownHostException {
        assertThat(AddressRules.refusal(ip(literal))).as(literal).isNotNull().contains(kind);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.1.1.1", "8.8.8.8", "172.15.255.255", "172.32.0.1", "100.63.255.255", "100.128.0.1",
        "169.253.1.1", "192.169.0.1", "192.0.1.1", "223.255.255.255", "2606:4700:4700::1111", "2001:db8::1",
        "::ffff:8.8.8.8", "64:ff9b::808:808", "fe00::1"})
    void publicAddressesPass(String literal) throws UnknownHostException {
        assertThat(AddressRules.refusal(ip(literal))).as(literal).isNull();
    }
}
