package dev.sluice.sink.kafka;

import dev.sluice.core.option.Options;
import java.util.HashMap;
import java.util.Map;

/** Test fixture: sink settings from option pairs, with a bootstrap address unless given. */
final class Settings {
  private Settings() {}

  static SinkSettings of(String pipelineId, String... keyValues) {
    Map<String, String> raw = new HashMap<>();
    raw.put("properties.bootstrap.servers", "127.0.0.1:1");
    for (int i = 0; i < keyValues.length; i += 2) {
      raw.put(keyValues[i], keyValues[i + 1]);
    }
    return SinkSettings.from(Options.parse("test sink", KafkaSinkOptions.ALL, raw), pipelineId);
  }
}
