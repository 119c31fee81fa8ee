package dev.sluice.source.debezium;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.SluiceException.ConnectionException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ReaderSilenceTest {
  private static final long SECOND = 1_000_000_000L;

  @Test
  void silenceBeyondTheLimitAfterTheFirstRecordIsALostConnection() {
    ReaderSilence s = new ReaderSilence(Duration.ofSeconds(30));
    assertThatCode(() -> s.check(100 * SECOND, "l")).as("not armed before the first record").doesNotThrowAnyException();
    s.heard(100 * SECOND);
    assertThatCode(() -> s.check(130 * SECOND, "l")).doesNotThrowAnyException();
    assertThatThrownBy(() -> s.check(131 * SECOND, "l")).isInstanceOf(ConnectionException.class)
        .hasMessageContaining("change log l delivered nothing for 31 s");
    s.heard(131 * SECOND);
    assertThatCode(() -> s.check(140 * SECOND, "l")).as("records rearm it").doesNotThrowAnyException();
  }

  @Test
  void withoutALimitSilenceIsFine() {
    ReaderSilence s = new ReaderSilence(null);
    s.heard(1);
    assertThatCode(() -> s.check(Long.MAX_VALUE, "l")).doesNotThrowAnyException();
  }
}
