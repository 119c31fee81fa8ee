package dev.sluice.source.debezium;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.SluiceException.ConfigurationException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Debezium state stored in a checkpoint reads back as the offsets and history it was made of. */
class EngineStateTest {

  @Test
  void initialStateHoldsTheOffsetAsConnectWritesItAndTheHistory() {
    Map<String, String> state = DebeziumLog.initialState(Map.of("server", "s"), Map.of("file", "binlog.000001", "pos", 4),
        List.of("{\"ddl\":\"CREATE TABLE t (id INT)\"}"));
    assertThat(DebeziumLog.hasEngineState(state)).isTrue();
    EngineState read = EngineState.open("h-1", state);
    try {
      Map<ByteBuffer, ByteBuffer> offsets = read.initialOffsets();
      assertThat(offsets).hasSize(1);
      Map.Entry<ByteBuffer, ByteBuffer> e = offsets.entrySet().iterator().next();
      assertThat(EngineState.text(e.getKey())).isEqualTo("[\"sluice\",{\"server\":\"s\"}]");
      assertThat(EngineState.text(e.getValue())).contains("\"file\":\"binlog.000001\"").contains("\"pos\":4");
      assertThat(read.history()).containsExactly("{\"ddl\":\"CREATE TABLE t (id INT)\"}");
      assertThat(EngineState.lookup("h-1")).isSameAs(read);
      assertThat(read.toState(offsets)).isEqualTo(state);
    } finally {
      read.release();
    }
    assertThatThrownBy(() -> EngineState.lookup("h-1")).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void anUnreadableStateIsAConfigurationError() {
    assertThatThrownBy(() -> EngineState.open("h-2", Map.of(EngineState.OFFSETS_KEY, "{not json")))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("delete the checkpoint");
  }

  @Test
  void aFreshStartHasNoEngineState() {
    assertThat(DebeziumLog.hasEngineState(Map.of())).isFalse();
  }
}
