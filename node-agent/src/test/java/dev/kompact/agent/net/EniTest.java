package dev.kompact.agent.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class EniTest {
    @Test
    void gatewayIsTheSubnetsFirstAddressPlusOne() {
        assertThat(new Eni("0a:1b:2c:3d:4e:5f", "10.0.32.0/19").gateway()).isEqualTo("10.0.32.1");
    }

    @Test
    void refusesAMalformedMacAddress() {
        assertThatThrownBy(() -> new Eni("0a:1b:2c:3d:4e", "10.0.32.0/19"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("MAC address")
                .hasMessageContaining("'0a:1b:2c:3d:4e'");
    }

    @Test
    void refusesASubnetThatIsNoCidr() {
        assertThatThrownBy(() -> new Eni("0a:1b:2c:3d:4e:5f", "10.0.32.0"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("IPv4 CIDR from /16 to /28")
                .hasMessageContaining("'10.0.32.0'");
    }

    @Test
    void refusesAPrefixNoVpcSubnetHas() {
        assertThatThrownBy(() -> new Eni("0a:1b:2c:3d:4e:5f", "10.0.0.0/8")).hasMessageContaining("/16 to /28");
    }

    @Test
    void refusesAnOctetAbove255() {
        assertThatThrownBy(() -> new Eni("0a:1b:2c:3d:4e:5f", "10.0.320.0/24"))
                .hasMessageContaining("dotted IPv4 address, got '10.0.320.0'");
    }

    @Test
    void refusesASubnetWithHostBitsSet() {
        // /19 spans 10.0.32.0-10.0.63.255: .33.0 is inside, not its start
        assertThatThrownBy(() -> new Eni("0a:1b:2c:3d:4e:5f", "10.0.33.0/19"))
                .hasMessageContaining("10.0.33.0/19 has host bits set");
    }

    @Test
    void containsOnlyAddressesOfItsSubnet() {
        Eni eni = new Eni("0a:1b:2c:3d:4e:5f", "10.0.32.0/19");
        assertThat(eni.contains("10.0.63.254")).isTrue();
        assertThat(eni.contains("10.0.64.1")).isFalse();
        assertThatThrownBy(() -> eni.contains("10.0.64"))
                .hasMessageContaining("the address must be a dotted IPv4 address, got '10.0.64'");
    }
}
