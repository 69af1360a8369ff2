package dev.lifeline.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The rule table behind {@link UrlPolicy}: which addresses each allowance opens, and why the rest stay shut. */
class UrlPolicyRangesTest {

    @ParameterizedTest
    @CsvSource({
        "0.0.0.0, 0.0.0.0/8",
        "0.1.2.3, 0.0.0.0/8",
        "169.254.169.254, 169.254.0.0/16",
        "169.254.0.1, 169.254.0.0/16",
        "224.0.0.1, 224.0.0.0/4",
        "239.255.255.250, 224.0.0.0/4",
        "255.255.255.255, 240.0.0.0/4",
        "192.0.2.10, 192.0.2.0/24",
        "198.51.100.10, 198.51.100.0/24",
        "203.0.113.10, 203.0.113.0/24",
        "100.64.0.1, 100.64.0.0/10",
        "100.127.255.254, 100.64.0.0/10",
        "::, ::/128",
        "fe80::1, fe80::/10",
        "febf::1, fe80::/10",
        "ff02::1, ff00::/8",
        "ff05::2, ff00::/8",
        "2001:db8::1, 2001:db8::/32",
        "::ffff:192.0.2.1, 192.0.2.0/24",
        "::a9fe:a9fe, 169.254.0.0/16",
        "64:ff9b::a9fe:a9fe, 169.254.0.0/16",
        "192.0.0.192, 192.0.0.0/24",
        "192.0.0.1, 192.0.0.0/24",
        "198.18.0.1, 198.18.0.0/15",
        "198.19.255.254, 198.18.0.0/15",
        "2001:2::1, 2001:2::/48",
        "2002:a9fe:a9fe::1, 169.254.0.0/16",
        "2002:c000:c0::, 192.0.0.0/24",
        "64:ff9b:1::a9fe:a9fe, 169.254.0.0/16",
        "64:ff9b:1:0:0:0:c612:1, 198.18.0.0/15",
        "::ffff:0:a9fe:a9fe, 169.254.0.0/16",
        "2001:0:4136:e378:8000:63bf:5601:5601, 169.254.0.0/16",
        "2001:0:4136:e378:8000:63bf:3fff:ff3f, 192.0.0.0/24",
    })
    void alwaysBlockedRangesStayBlockedWhateverIsAllowed(String ip, String cidr) {
        InetAddress a = InetAddress.ofLiteral(ip);
        assertThat(UrlPolicy.isBlocked(a, true, true)).isTrue();
        assertThat(BlockedRanges.find(a, true, true).orElseThrow().cidr()).isEqualTo(cidr);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "127.0.0.1",
                "127.255.255.254",
                "::1",
                "::ffff:127.0.0.1",
                "64:ff9b::7f00:1",
                "2002:7f00:1::1",
                "::ffff:0:7f00:1",
                "2001:0:4136:e378:8000:63bf:80ff:fffe"
            })
    void loopbackOpensOnlyWithAllowLoopback(String ip) {
        InetAddress a = InetAddress.ofLiteral(ip);
        assertThat(UrlPolicy.isBlocked(a, false, true)).isTrue();
        assertThat(UrlPolicy.isBlocked(a, true, false)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "10.0.0.1",
                "10.255.255.255",
                "172.16.0.1",
                "172.31.255.255",
                "192.168.0.1",
                "fc00::1",
                "fd12::1",
                "fec0::1",
                "::ffff:10.1.2.3",
                "2002:a01:203::1",
                "::ffff:0:a01:203",
                "2001:0:4136:e378:8000:63bf:f5fe:fdfc",
                "64:ff9b:1::5db8:d822"
            })
    void privateRangesOpenOnlyWithAllowPrivate(String ip) {
        InetAddress a = InetAddress.ofLiteral(ip);
        assertThat(UrlPolicy.isBlocked(a, true, false)).isTrue();
        assertThat(UrlPolicy.isBlocked(a, false, true)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "93.184.216.34",
                "1.1.1.1",
                "8.8.8.8",
                "172.15.255.255",
                "172.32.0.1",
                "100.63.255.255",
                "100.128.0.1",
                "169.253.255.255",
                "192.0.3.1",
                "223.255.255.255",
                "2606:4700::1111",
                "2001:db9::1",
                "fe00::1",
                "192.0.1.1",
                "198.17.255.255",
                "198.20.0.1",
                "2002:5db8:d822::1",
                "2001:0:4136:e378:8000:63bf:a247:27dd",
                "64:ff9b::5db8:d822",
                "::ffff:0:5db8:d822"
            })
    void publicAddressesPassUnderTheStrictestPolicy(String ip) {
        assertThat(UrlPolicy.isBlocked(InetAddress.ofLiteral(ip), false, false)).isFalse();
    }

    @Test
    void aLocalUseNat64AddressOpensOnlyWhenWhatItCarriesIsAllowedToo() {
        InetAddress toLoopback = InetAddress.ofLiteral("64:ff9b:1::7f00:1");
        assertThat(UrlPolicy.isBlocked(toLoopback, true, false)).isTrue();
        assertThat(UrlPolicy.isBlocked(toLoopback, false, true)).isTrue();
        assertThat(UrlPolicy.isBlocked(toLoopback, true, true)).isFalse();
    }
}
