package dev.sluice.sink.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.event.LogicalType;
import org.junit.jupiter.api.Test;

class TypeWideningTest {
  @Test
  void widerTypesHoldEveryValueOfTheNarrower() {
    assertThat(TypeWidening.widens(LogicalType.INT32, LogicalType.INT64)).isTrue();
    assertThat(TypeWidening.widens(LogicalType.INT64, LogicalType.decimal(20, 0))).isTrue();
    assertThat(TypeWidening.widens(LogicalType.FLOAT32, LogicalType.FLOAT64)).isTrue();
    assertThat(TypeWidening.widens(LogicalType.decimal(10, 2), LogicalType.decimal(12, 4))).isTrue();
    assertThat(TypeWidening.widens(LogicalType.string(10), LogicalType.STRING)).isTrue();
    assertThat(TypeWidening.widens(LogicalType.timestamp(3), LogicalType.timestamp(6))).isTrue();
  }

  @Test
  void narrowingOrChangingKindIsNotWidening() {
    assertThat(TypeWidening.widens(LogicalType.INT64, LogicalType.INT32)).isFalse();
    assertThat(TypeWidening.widens(LogicalType.INT64, LogicalType.decimal(18, 0))).isFalse();
    assertThat(TypeWidening.widens(LogicalType.decimal(10, 2), LogicalType.decimal(10, 3))).isFalse();
    assertThat(TypeWidening.widens(LogicalType.STRING, LogicalType.string(100))).isFalse();
    assertThat(TypeWidening.widens(LogicalType.STRING, LogicalType.INT64)).isFalse();
    assertThat(TypeWidening.widens(LogicalType.time(6), LogicalType.time(0))).isFalse();
  }
}
