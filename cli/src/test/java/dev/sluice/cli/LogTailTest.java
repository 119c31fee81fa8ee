package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LogTailTest {
  @Test
  void keepsTheLastLinesOfEachPipelineBounded() {
    LogTail tail = new LogTail();
    tail.add("12:00:00.000 [main] INFO dev.sluice.core.runtime.Pipeline - pipeline=orders starting fresh");
    tail.add("12:00:00.001 [main] WARN some.library - nothing about a pipeline");
    tail.add("12:00:00.002 [main] INFO x - pipeline=other-one table=a.b snapshot started");
    for (int i = 0; i < LogTail.LINES + 5; i++) {
      tail.add("pipeline=orders line " + i);
    }
    tail.add("pipeline=orders " + "x".repeat(LogTail.LINE_CHARS + 10));

    assertThat(tail.recent("other-one", 10)).containsExactly("12:00:00.002 [main] INFO x - pipeline=other-one table=a.b snapshot started");
    assertThat(tail.recent("orders", LogTail.LINES)).hasSize(LogTail.LINES).doesNotContain(
        "12:00:00.000 [main] INFO dev.sluice.core.runtime.Pipeline - pipeline=orders starting fresh");
    assertThat(tail.recent("orders", 2)).first().isEqualTo("pipeline=orders line " + (LogTail.LINES + 4));
    assertThat(tail.recent("orders", 1).get(0)).hasSize(LogTail.LINE_CHARS + 2).endsWith(" …");
    assertThat(tail.recent("nobody", 5)).isEmpty();

    for (int i = 0; i < LogTail.PIPELINES + 10; i++) {
      tail.add("pipeline=p" + i + " started");
    }
    assertThat(tail.recent("p" + (LogTail.PIPELINES + 5), 5)).isEmpty(); // past the cap: not kept
  }
}
