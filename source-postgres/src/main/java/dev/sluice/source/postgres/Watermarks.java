package dev.sluice.source.postgres;

import dev.sluice.core.SluiceException.ConnectionException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import javax.sql.DataSource;

/**
 * The low and high watermarks of a chunk window.
 *
 * <p>High: {@code pg_current_wal_lsn()}. A transaction becomes visible only after its commit record
 * is flushed, so the commit of anything a finished read saw ends at or before the WAL write position.
 *
 * <p>Low: the same LSN {@code W} is not enough on its own, because a transaction becomes visible
 * when it leaves the proc array, a moment after its commit record is flushed: a commit at or before
 * {@code W} may still be invisible. Any such transaction reserved its commit record before {@code W}
 * was read, so it holds an xid and is running in a snapshot taken just after. So: read {@code W},
 * take {@code pg_current_snapshot()}, and wait until each transaction running in it has ended — except
 * those whose session is {@code idle in transaction}, which are not committing (a commit runs inside
 * an active statement). Then every commit at or before {@code W} is visible. Only active writes
 * delay it, for as long as their statement runs; the wait is bounded by {@code connect.timeout}.
 */
final class Watermarks {
  private static final String RUNNING = "SELECT count(*) FROM pg_snapshot_xip(?::pg_snapshot) x "
      + "WHERE NOT pg_visible_in_snapshot(x, pg_current_snapshot()) AND NOT EXISTS (SELECT 1 FROM pg_stat_activity a "
      + "WHERE a.backend_xid IS NOT NULL AND a.backend_xid::text = (x::text::bigint % 4294967296)::text "
      + "AND a.state = 'idle in transaction')";

  private final DataSource pool;
  private final Duration timeout;

  Watermarks(DataSource pool, Duration timeout) {
    this.pool = pool;
    this.timeout = timeout;
  }

  Lsn low() {
    try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
      long w = current(s);
      String snapshot;
      try (ResultSet rs = s.executeQuery("SELECT pg_current_snapshot()::text")) {
        rs.next();
        snapshot = rs.getString(1);
      }
      if (!snapshot.endsWith(":")) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (PreparedStatement ps = c.prepareStatement(RUNNING)) {
          ps.setString(1, snapshot);
          long pause = 1;
          while (true) {
            try (ResultSet rs = ps.executeQuery()) {
              rs.next();
              if (rs.getLong(1) == 0) {
                break;
              }
            }
            if (System.nanoTime() > deadline) {
              throw new ConnectionException("transactions running at WAL position " + Lsn.format(w)
                  + " did not end within connect.timeout (" + timeout + "); a long-running write delays the "
                  + "snapshot's low watermark", null);
            }
            Thread.sleep(pause);
            pause = Math.min(50, pause * 2);
          }
        }
      }
      return Lsn.mark(w);
    } catch (SQLException e) {
      throw new ConnectionException("cannot read the low watermark: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ConnectionException("interrupted while reading the low watermark", e);
    }
  }

  Lsn high() {
    try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
      return Lsn.mark(current(s));
    } catch (SQLException e) {
      throw new ConnectionException("cannot read the WAL position: " + e.getMessage(), e);
    }
  }

  private static long current(Statement s) throws SQLException {
    try (ResultSet rs = s.executeQuery("SELECT pg_current_wal_lsn()::text")) {
      rs.next();
      return Lsn.parse(rs.getString(1));
    }
  }
}
