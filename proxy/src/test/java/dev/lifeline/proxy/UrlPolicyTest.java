package dev.lifeline.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeline.core.InvalidRequestException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The outbound URL rules: what an agent URL may point at, and the address Lifeline then connects to. */
class UrlPolicyTest {
    private static final HostResolver DNS = names(Map.of(
            "metadata.example", List.of("169.254.169.254"),
            "local.example", List.of("127.0.0.1"),
            "local6.example", List.of("::1"),
            "lan.example", List.of("10.1.2.3"),
            "agent.example", List.of("93.184.216.34", "93.184.216.35"),
            "agent6.example", List.of("2606:2800:220:1:248:1893:25c8:1946"),
            "split.example", List.of("93.184.216.34", "169.254.169.254"),
            "empty.example", List.of()));

    private static final UrlPolicy STRICT = new UrlPolicy(false, false, DNS);

    @Test
    void refusesANameThatResolvesToTheCloudMetadataAddressAsLinkLocal() {
        assertRefused(STRICT, "http://metadata.example/latest/meta-data/")
                .hasMessage("agent URL resolves to a blocked address (169.254.0.0/16, link-local)")
                .extracting(e -> ((InvalidRequestException) e).hint())
                .asString()
                .contains("never allowed");
    }

    @Test
    void refusesANameThatResolvesToLoopbackUnlessLoopbackIsAllowed() {
        assertRefused(STRICT, "http://local.example:8000/").hasMessageContaining("(127.0.0.0/8, loopback)");
        assertRefused(STRICT, "http://local6.example:8000/").hasMessageContaining("(::1/128, loopback)");

        UrlPolicy dev = new UrlPolicy(true, false, DNS);
        assertThat(dev.check("http://local.example:8000/").connectUri())
                .isEqualTo(URI.create("http://127.0.0.1:8000/"));
        assertThat(dev.check("http://local6.example:8000/").connectUri())
                .isEqualTo(URI.create("http://[0:0:0:0:0:0:0:1]:8000/"));
    }

    @Test
    void refusesPrivateAddressesUnlessPrivateNetworksAreAllowed() {
        for (String url :
                List.of("http://10.1.2.3/", "http://172.31.255.1/", "http://192.168.1.1/", "http://[fd00::1]/")) {
            assertRefused(STRICT, url).hasMessageContaining("private");
            assertThat(new UrlPolicy(false, true, DNS).check(url).address()).isNotNull();
        }
        assertRefused(STRICT, "http://lan.example/").hasMessageContaining("(10.0.0.0/8, private)");
    }

    @Test
    void allowingOneKindOfLocalAddressDoesNotOpenTheOther() {
        assertRefused(new UrlPolicy(true, false, DNS), "http://10.1.2.3/").hasMessageContaining("private");
        assertRefused(new UrlPolicy(false, true, DNS), "http://127.0.0.1/").hasMessageContaining("loopback");
        assertRefused(new UrlPolicy(true, true, DNS), "http://169.254.169.254/").hasMessageContaining("link-local");
    }

    @Test
    void refusesIpv4MappedIpv6FormsOfABlockedAddress() throws UnknownHostException {
        assertRefused(STRICT, "http://[::ffff:169.254.169.254]/").hasMessageContaining("link-local");
        assertRefused(STRICT, "http://[::ffff:a9fe:a9fe]/").hasMessageContaining("link-local");

        byte[] mapped = InetAddress.ofLiteral("::1").getAddress();
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        mapped[12] = (byte) 169;
        mapped[13] = (byte) 254;
        mapped[14] = (byte) 169;
        mapped[15] = (byte) 254;
        InetAddress v6 = Inet6Address.getByAddress("mapped.example", mapped, -1);
        assertThat(v6).isInstanceOf(Inet6Address.class);
        UrlPolicy policy = new UrlPolicy(true, true, host -> List.of(v6));
        assertRefused(policy, "http://mapped.example/")
                .hasMessage(
                        "agent URL resolves to a blocked address (169.254.0.0/16, link-local, as IPv4-mapped IPv6)");
    }

    @Test
    void refusesTheIetfAndBenchmarkingRangesOutright() {
        UrlPolicy open = new UrlPolicy(true, true, DNS);
        assertRefused(open, "http://192.0.0.192/latest/")
                .hasMessage("agent URL points at a blocked address (192.0.0.0/24, IETF protocol assignments)");
        assertRefused(open, "http://198.18.0.10/").hasMessageContaining("(198.18.0.0/15, benchmarking)");
    }

    @ParameterizedTest
    @CsvSource({
        "http://[2002:a9fe:a9fe::1]/, 6to4",
        "http://[64:ff9b::a9fe:a9fe]/, NAT64",
        "http://[64:ff9b:1::a9fe:a9fe]/, local-use NAT64",
        "http://[::ffff:0:a9fe:a9fe]/, IPv4-translated",
        "http://[2001:0:4136:e378:8000:63bf:5601:5601]/, Teredo",
    })
    void refusesIpv6FormsThatCarryABlockedIpv4AddressByTheAddressTheyCarry(String url, String form) {
        assertRefused(new UrlPolicy(true, true, DNS), url)
                .hasMessage("agent URL points at a blocked address (169.254.0.0/16, link-local, as " + form + " IPv6)");
    }

    @Test
    void pinsAnAllowedIpv4MappedAddressAsPlainIpv4() throws UnknownHostException {
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        mapped[12] = 10;
        mapped[15] = 7;
        InetAddress v6 = Inet6Address.getByAddress("mapped.example", mapped, -1);
        PinnedTarget t = new UrlPolicy(false, true, host -> List.of(v6)).check("http://mapped.example:81/a");
        assertThat(t.connectUri()).isEqualTo(URI.create("http://10.0.0.7:81/a"));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"ftp://agent.example/", "file:///etc/passwd", "gopher://agent.example/", "agent.example:8000"})
    void refusesSchemesOtherThanHttpAndHttps(String url) {
        assertRefused(STRICT, url).hasMessageContaining("must use http or https");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "http:///path",
                "http://:8000/",
                "http:agent.example",
                "https://",
                "http://256.1.1.1/",
                "http://127.1/",
                "http://0x7f.0.0.1/"
            })
    void refusesAUrlWithoutAUsableHost(String url) {
        assertRefused(STRICT, url).hasMessageMatching("agent URL (has no valid host|is not a valid URL)");
    }

    @Test
    void refusesAUrlThatIsNotAUrl() {
        assertRefused(STRICT, "http://agent example/").hasMessage("agent URL is not a valid URL");
        assertRefused(STRICT, "/workspaces/a2a").hasMessage("agent URL has no scheme");
    }

    @Test
    void refusesAHostThatDoesNotResolveOrHasNoAddresses() {
        assertRefused(STRICT, "http://nowhere.example/").hasMessage("agent URL host nowhere.example does not resolve");
        assertRefused(STRICT, "http://empty.example/").hasMessage("agent URL host empty.example does not resolve");
    }

    @Test
    void refusesANameWhenAnyOfItsAddressesIsBlocked() {
        assertRefused(new UrlPolicy(true, true, DNS), "http://split.example/").hasMessageContaining("link-local");
    }

    @Test
    void pinsTheFirstAddressOfAPublicNameAndKeepsSchemePortPathAndQuery() {
        PinnedTarget t = STRICT.check("HTTPS://agent.example:8443/a2a/v1%2Fx?x=1&y=%20#frag");

        assertThat(t.address().getHostAddress()).isEqualTo("93.184.216.34");
        assertThat(t.connectUri()).isEqualTo(URI.create("https://93.184.216.34:8443/a2a/v1%2Fx?x=1&y=%20"));
        assertThat(t.original().getHost()).isEqualTo("agent.example");
        assertThat(t.hostHeader()).isEqualTo("agent.example:8443");
    }

    @Test
    void aUrlWithoutAPortKeepsTheSchemeDefaultAndAHostHeaderWithoutPort() {
        PinnedTarget t = STRICT.check("http://agent.example");
        assertThat(t.connectUri()).isEqualTo(URI.create("http://93.184.216.34"));
        assertThat(t.hostHeader()).isEqualTo("agent.example");
    }

    @Test
    void pinsIpv6AddressesInBrackets() {
        assertThat(STRICT.check("http://agent6.example:8000/rpc").connectUri())
                .isEqualTo(URI.create("http://[2606:2800:220:1:248:1893:25c8:1946]:8000/rpc"));
        PinnedTarget literal = STRICT.check("http://[2606:2800:220:1::1]:9000/");
        assertThat(literal.connectUri()).isEqualTo(URI.create("http://[2606:2800:220:1:0:0:0:1]:9000/"));
        assertThat(literal.hostHeader()).isEqualTo("[2606:2800:220:1::1]:9000");
    }

    @Test
    void ipLiteralUrlsNeverCallTheResolver() {
        UrlPolicy policy = new UrlPolicy(false, false, host -> {
            throw new AssertionError("resolver called for " + host);
        });
        assertThat(policy.check("http://93.184.216.34:8000/").connectUri())
                .isEqualTo(URI.create("http://93.184.216.34:8000/"));
        assertThat(policy.check("http://[2606:2800::1]/").address().getHostAddress())
                .isEqualTo("2606:2800:0:0:0:0:0:1");
        assertRefused(policy, "http://127.0.0.1/")
                .hasMessage("agent URL points at a blocked address (127.0.0.0/8, loopback)");
        assertRefused(policy, "http://[fe80::1]/").hasMessageContaining("(fe80::/10, link-local)");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"http://2130706433/", "http://0177.0.0.1/", "http://127.000.000.001/", "http://10.0.0.010/"})
    void refusesNumericHostsThatAreNotPlainDottedQuads(String url) {
        assertRefused(STRICT, url).hasMessageContaining("is not a plain IPv4 address");
    }

    @Test
    void refusesIpv6ZoneIds() {
        assertRefused(new UrlPolicy(true, true, DNS), "http://[fe80::1%25eth0]/")
                .hasMessageContaining("zone id");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://agent.example:0/", "http://agent.example:65536/"})
    void refusesPortsOutsideTheTcpRange(String url) {
        assertRefused(STRICT, url).hasMessageContaining("is out of range");
    }

    @Test
    void neverPutsTheUserInfoOfAUrlIntoAMessage() {
        assertRefused(STRICT, "http://user:s3cret@metadata.example/").message().doesNotContain("s3cret");
    }

    private static AbstractThrowableAssert<?, ? extends Throwable> assertRefused(UrlPolicy policy, String url) {
        return assertThatThrownBy(() -> policy.check(url)).isInstanceOf(InvalidRequestException.class);
    }

    /** A resolver that knows only these names, as IP literals; any other name does not exist. */
    private static HostResolver names(Map<String, List<String>> table) {
        return host -> {
            List<String> ips = table.get(host);
            if (ips == null) {
                throw new UnknownHostException(host);
            }
            return ips.stream().map(InetAddress::ofLiteral).toList();
        };
    }
}
