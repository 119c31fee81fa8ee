package dev.sluice.source.mysql;

import dev.sluice.core.event.ChangeEvent;
import dev.sluice.core.event.Event;
import dev.sluice.core.source.ChangeLog;
import dev.sluice.core.source.LogBatch;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code scan.startup.mode timestamp}: the log opens at the start of the binlog file that holds the
 * time, and everything before the first change at or after it is passed over (schema changes too:
 * the sink starts from the tables' current definitions). Once that change is seen the connector
 * state says so, so a restart from any later checkpoint delivers everything, including a change of
 * a long transaction that carries an earlier time.
 */
final class SkipBefore implements ChangeLog {
  static final String PASSED = "sluice.startup.timestamp.passed";

  private final ChangeLog log;
  private final long fromMillis;
  private boolean passed;

  /** @param fromMillis the time's whole second: binlog event times are whole seconds */
  SkipBefore(ChangeLog log, long fromMillis, Map<String, String> state) {
    this.log = log;
    this.fromMillis = fromMillis;
    this.passed = "true".equals(state.get(PASSED));
  }

  @Override
  public LogBatch poll(long timeout, TimeUnit unit) throws InterruptedException {
    LogBatch batch = log.poll(timeout, unit);
    if (passed) {
      return batch;
    }
    List<Event> kept = new ArrayList<>();
    for (Event e : batch.events()) {
      if (!passed && e instanceof ChangeEvent ce && ce.sourceTime() != null
          && ce.sourceTime().toEpochMilli() >= fromMillis) {
        passed = true;
      }
      if (passed) {
        kept.add(e);
      }
    }
    return new LogBatch(kept, batch.reached());
  }

  @Override
  public Map<String, String> state() {
    if (!passed) {
      return log.state();
    }
    Map<String, String> state = new HashMap<>(log.state());
    state.put(PASSED, "true");
    return state;
  }

  @Override
  public void committed() {
    log.committed();
  }

  @Override
  public void close() {
    log.close();
  }
}
