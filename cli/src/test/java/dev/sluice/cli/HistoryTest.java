package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HistoryTest {
  @Test
  void pointsCarryThePipelinesRateAndLagAndNothingWhileItIsNotRunning() {
    History h = new History();
    h.record(10_000, 0, -1);
    h.record(11_000, 500, 40);
    h.record(12_000, 1_234.56, 30);
    h.record(13_000, -1, -1); // paused
    List<Map<String, Object>> points = h.points();
    assertThat(points).extracting(p -> p.get("rowsPerSecond")).containsExactly(0.0, 500.0, 1234.6, null);
    assertThat(points).extracting(p -> p.get("lagMillis")).containsExactly(null, 40L, 30L, null);
    assertThat(points.get(0).get("time")).isEqualTo("1970-01-01T00:00:10Z");
  }

  @Test
  void keepsTheLastFiveMinutesOnly() {
    History h = new History();
    for (int s = 0; s < History.CAPACITY + 50; s++) {
      h.record(s * 1000L, 10, s);
    }
    List<Map<String, Object>> points = h.points();
    assertThat(points).hasSize(History.CAPACITY);
    assertThat(points.get(0).get("lagMillis")).isEqualTo(50L);
    assertThat(points.get(points.size() - 1).get("lagMillis")).isEqualTo((long) History.CAPACITY + 49);
  }
}
