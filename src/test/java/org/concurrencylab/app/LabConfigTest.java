package org.concurrencylab.app;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LabConfigTest {

  private final JsonObject defaults = LabConfig.defaults();

  @Test
  void defaultsBindLoopbackOnTheBookPorts() {
    JsonObject config = LabConfig.resolve(defaults, Map.of(), null);
    assertThat(config.getString("host")).isEqualTo("127.0.0.1");
    assertThat(config.getInteger("http_port")).isEqualTo(8080);
    assertThat(config.getInteger("echo_port")).isEqualTo(8000);
    assertThat(config.getInteger("selector_echo_port")).isEqualTo(8002);
    assertThat(config.getString("data_dir")).isEqualTo("./data");
    assertThat(config.getString("services")).isEqualTo("all");
  }

  @Test
  void environmentOverridesDefaultsAndConfOverridesEnvironment() {
    JsonObject config = LabConfig.resolve(defaults,
      Map.of("LAB_HTTP_PORT", "9090", "LAB_HOST", "0.0.0.0", "PATH", "/bin"),
      new JsonObject().put("http_port", 9191));
    assertThat(config.getInteger("http_port")).isEqualTo(9191);
    assertThat(config.getString("host")).isEqualTo("0.0.0.0");
  }

  @Test
  void aPortThatIsNotANumberNamesItsVariable() {
    assertThatThrownBy(() -> LabConfig.resolve(defaults, Map.of("LAB_HTTP_PORT", "abc"), null))
      .isInstanceOf(ConfigException.class)
      .hasMessage("LAB_HTTP_PORT=abc: not an integer");
  }

  @Test
  void aPortOutOfRangeIsRefused() {
    assertThatThrownBy(() -> LabConfig.resolve(defaults, Map.of("LAB_ECHO_PORT", "70000"), null))
      .hasMessage("LAB_ECHO_PORT=70000: not a port (0-65535)");
    assertThatThrownBy(() -> LabConfig.resolve(defaults, Map.of(), new JsonObject().put("echo_port", -1)))
      .hasMessage("-conf echo_port=-1: not a port (0-65535)");
  }

  @Test
  void unknownSettingsAreRefusedSoTyposDoNotPassSilently() {
    assertThatThrownBy(() -> LabConfig.resolve(defaults, Map.of("LAB_HTTP_PROT", "1"), null))
      .hasMessageStartingWith("LAB_HTTP_PROT: unknown setting");
    assertThatThrownBy(() -> LabConfig.resolve(defaults, Map.of(), new JsonObject().put("nope", 1)))
      .hasMessageStartingWith("-conf nope: unknown setting");
  }

  @Test
  void aWrongTypeInConfIsRefused() {
    assertThatThrownBy(() -> LabConfig.resolve(defaults, Map.of(), new JsonObject().put("http_port", true)))
      .hasMessage("-conf http_port=true: not an integer");
  }

  @Test
  void confIsInlineJsonOrAFile(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    assertThat(LabConfig.readConf("{\"http_port\": 1}").getInteger("http_port")).isEqualTo(1);
    java.nio.file.Path file = dir.resolve("lab.json");
    java.nio.file.Files.writeString(file, "{\"echo_port\": 7}");
    assertThat(LabConfig.readConf(file.toString()).getInteger("echo_port")).isEqualTo(7);
    assertThatThrownBy(() -> LabConfig.readConf("{broken")).hasMessageStartingWith("-conf {broken: not valid JSON");
    assertThatThrownBy(() -> LabConfig.readConf(dir.resolve("missing.json").toString()))
      .hasMessageContaining("neither a JSON object nor a readable file");
  }

  @Test
  void servicesMustBeKnown() {
    ServiceCatalog catalog = ServiceCatalog.all();
    assertThat(catalog.select("all")).hasSameSizeAs(catalog.modules());
    assertThat(catalog.select(" http ")).extracting(m -> m.name()).containsExactly("http");
    assertThatThrownBy(() -> catalog.select("http,nonsense"))
      .hasMessageStartingWith("LAB_SERVICES=http,nonsense: unknown service 'nonsense'");
    assertThatThrownBy(() -> catalog.select(" , "))
      .hasMessageContaining("names no service");
  }
}
