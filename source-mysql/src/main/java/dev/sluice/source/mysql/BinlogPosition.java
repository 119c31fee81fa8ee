package dev.sluice.source.mysql;

import dev.sluice.core.SluiceException.ConfigurationException;
import dev.sluice.core.event.Position;
import java.util.Objects;

/**
 * A point in the binlog. Three kinds share one order:
 *
 * <ul>
 *   <li>{@link Kind#EVENT}: a row change, at {@code (file, pos, event, row)} where {@code pos} is where
 *       its transaction starts and {@code event}/{@code row} count into it (Debezium's restart
 *       coordinates), with the transaction's {@code gtid} on MySQL;
 *   <li>{@link Kind#MARK}: a point between transactions, {@code (file, pos)}: a status query's end of
 *       the binlog, or where the reader stands after a transaction; {@code gtidSet} the transactions
 *       done there where known;
 *   <li>{@link Kind#VISIBLE}: MySQL's visible horizon, a GTID set only ({@code gtid_executed}): an
 *       event is before it exactly when its transaction is in the set. Commits are ordered
 *       ({@code binlog_order_commits}), so such a set is a prefix of the binlog.
 * </ul>
 *
 * Every event of a transaction compares the same against a MARK or VISIBLE position, so a
 * watermark never falls inside a transaction.
 */
public record BinlogPosition(Kind kind, String file, long pos, long event, long row, String gtid, String gtidSet)
    implements Position {

  public enum Kind { EVENT, MARK, VISIBLE }

  public BinlogPosition {
    Objects.requireNonNull(kind, "kind");
    if (kind == Kind.VISIBLE ? gtidSet == null : file == null) {
      throw new IllegalArgumentException(kind + " position lacks its " + (kind == Kind.VISIBLE ? "GTID set" : "file"));
    }
  }

  public static BinlogPosition mark(String file, long pos, String gtidSet) {
    return new BinlogPosition(Kind.MARK, file, pos, 0, 0, null, blankToNull(gtidSet));
  }

  public static BinlogPosition visible(String gtidSet) {
    return new BinlogPosition(Kind.VISIBLE, null, 0, 0, 0, null, gtidSet == null ? "" : gtidSet);
  }

  public static BinlogPosition event(String file, long pos, long event, long row, String gtid, String gtidSet) {
    return new BinlogPosition(Kind.EVENT, file, pos, event, row, blankToNull(gtid), blankToNull(gtidSet));
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }

  @Override
  public String encode() {
    return kind + "|" + nz(file) + "|" + pos + "|" + event + "|" + row + "|" + nz(gtid) + "|" + nz(gtidSet);
  }

  private static String nz(String s) {
    return s == null ? "" : s;
  }

  public static BinlogPosition decode(String text) {
    String[] p = text.split("\\|", -1);
    if (p.length != 7) {
      throw new ConfigurationException("not a MySQL binlog position: '" + text
          + "'; the checkpoint was written by another source type");
    }
    return new BinlogPosition(Kind.valueOf(p[0]), p[1].isEmpty() ? null : p[1], Long.parseLong(p[2]),
        Long.parseLong(p[3]), Long.parseLong(p[4]), p[5].isEmpty() ? null : p[5], p[6].isEmpty() ? null : p[6]);
  }

  /** The total order described on the class. */
  public static int compare(BinlogPosition a, BinlogPosition b) {
    if (a.kind == Kind.VISIBLE || b.kind == Kind.VISIBLE) {
      return a.kind == Kind.VISIBLE ? againstVisible(b, a) * -1 : againstVisible(a, b);
    }
    int c = Long.compare(fileIndex(a.file), fileIndex(b.file));
    if (c == 0) {
      c = a.file.compareTo(b.file);
    }
    if (c == 0) {
      c = Long.compare(a.pos, b.pos);
    }
    if (c == 0) {
      c = Long.compare(a.event, b.event);
    }
    if (c == 0) {
      c = Long.compare(a.row, b.row);
    }
    // A mark at a transaction's start lies before the transaction's events.
    return c != 0 || a.kind == b.kind ? c : a.kind == Kind.MARK ? -1 : 1;
  }

  /** {@code p} against the visible horizon {@code v}. */
  private static int againstVisible(BinlogPosition p, BinlogPosition v) {
    GtidSet horizon = new GtidSet(v.gtidSet);
    if (p.kind == Kind.EVENT && p.gtid != null) {
      return horizon.contains(p.gtid) ? -1 : 1;
    }
    if (p.gtidSet == null) {
      // Nothing to compare by (a server without GTIDs never makes VISIBLE positions).
      return 1;
    }
    GtidSet done = new GtidSet(p.gtidSet);
    if (p.kind == Kind.VISIBLE) {
      boolean in = done.isSubsetOf(horizon);
      boolean out = horizon.isSubsetOf(done);
      return in && out ? 0 : in ? -1 : out ? 1 : Long.compare(done.size(), horizon.size());
    }
    if (done.isSubsetOf(horizon)) {
      return horizon.isSubsetOf(done) ? 0 : -1;
    }
    return 1;
  }

  /** {@code binlog.000042} → 42; names without a number order after by name. */
  static long fileIndex(String file) {
    int dot = file.lastIndexOf('.');
    try {
      return Long.parseLong(file.substring(dot + 1));
    } catch (NumberFormatException e) {
      return Long.MAX_VALUE;
    }
  }

  @Override
  public String toString() {
    return encode();
  }
}
