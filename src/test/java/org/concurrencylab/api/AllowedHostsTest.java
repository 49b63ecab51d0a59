package org.concurrencylab.api;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AllowedHostsTest {

  @Test
  void theDefaultAllowsLoopbackOnly() {
    AllowedHosts loopback = AllowedHosts.parse("127.0.0.1,localhost,::1");
    assertThat(loopback.check("http://127.0.0.1:8090/?delay_ms=5").getPort()).isEqualTo(8090);
    assertThat(loopback.check("https://LOCALHOST./").getHost()).isEqualTo("LOCALHOST.");
    assertThat(loopback.check("http://[::1]:8090/").getHost()).isEqualTo("[::1]");
    assertThatThrownBy(() -> loopback.check("http://example.com/")).hasMessageContaining("not allowed");
    assertThatThrownBy(() -> loopback.check("http://127.1/")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> loopback.check("http://10.0.0.1/")).hasMessageContaining("not allowed");
  }

  @Test
  void onlyHttpAndHttpsUrlsWithAHost() {
    AllowedHosts any = AllowedHosts.parse("*");
    assertThat(any.allows("example.com")).isTrue();
    assertThatThrownBy(() -> any.check("python://bad")).hasMessageContaining("unsupported scheme 'python'");
    assertThatThrownBy(() -> any.check("file:///etc/passwd")).hasMessageContaining("unsupported scheme 'file'");
    assertThatThrownBy(() -> any.check("/relative")).hasMessageContaining("not an absolute URL");
    assertThatThrownBy(() -> any.check("http:///nohost")).hasMessageContaining("no host");
    assertThatThrownBy(() -> any.check("http://a b/")).hasMessageContaining("not a URL");
    assertThatThrownBy(() -> any.check("http://x/" + "a".repeat(3000))).hasMessageContaining("longer than");
  }

  @Test
  void wildcardsAllowSubHostsOfADomain() {
    AllowedHosts lab = AllowedHosts.parse(" *.lab.test , 127.0.0.1 ");
    assertThat(lab.allows("api.lab.test")).isTrue();
    assertThat(lab.allows("lab.test")).isFalse();
    assertThat(lab.allows("evil-lab.test")).isFalse();
    assertThat(AllowedHosts.parse("").allows("127.0.0.1")).isFalse();
  }
}
