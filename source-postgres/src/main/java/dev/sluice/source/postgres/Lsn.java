package dev.sluice.source.postgres;

import dev.sluice.core.event.Position;

/**
 * A position in a PostgreSQL change log. The log delivers transactions in commit order, so a change
 * is placed by its transaction's commit LSN and its index inside the transaction; a mark (a
 * watermark, or where the reader stands between transactions) at LSN {@code L} lies after every
 * change of a transaction whose commit is at or before {@code L}, and before all others.
 *
 * <p>A change may carry a commit LSN a little later than its transaction's real one (the reader
 * sometimes only learns an upper bound); that keeps the order of the log and only ever moves a change
 * later relative to a mark, which the engine handles (it re-applies it after the chunk).
 */
public record Lsn(long commit, long index) implements Position {
  /** The index of a mark: after every change of the transactions committed at or before it. */
  public static final long MARK = Long.MAX_VALUE;

  public static Lsn mark(long lsn) {
    return new Lsn(lsn, MARK);
  }

  public static Lsn change(long commit, long index) {
    if (index < 0 || index == MARK) {
      throw new IllegalArgumentException("bad change index " + index);
    }
    return new Lsn(commit, index);
  }

  public boolean isMark() {
    return index == MARK;
  }

  public static int compare(Lsn a, Lsn b) {
    int c = Long.compareUnsigned(a.commit, b.commit);
    return c != 0 ? c : Long.compare(a.index, b.index);
  }

  /** PostgreSQL's text form of an LSN, {@code 16/B374D848}. */
  public static String format(long lsn) {
    return Long.toHexString(lsn >>> 32).toUpperCase() + "/" + Long.toHexString(lsn & 0xffffffffL).toUpperCase();
  }

  public static long parse(String text) {
    int slash = text.indexOf('/');
    if (slash < 0) {
      throw new IllegalArgumentException("not an LSN: " + text);
    }
    return (Long.parseLong(text.substring(0, slash), 16) << 32) | Long.parseLong(text.substring(slash + 1), 16);
  }

  @Override
  public String encode() {
    return isMark() ? format(commit) : format(commit) + "#" + index;
  }

  public static Lsn decode(String encoded) {
    try {
      int hash = encoded.indexOf('#');
      if (hash < 0) {
        return mark(parse(encoded));
      }
      return change(parse(encoded.substring(0, hash)), Long.parseLong(encoded.substring(hash + 1)));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("not a PostgreSQL position: " + encoded, e);
    }
  }

  @Override
  public String toString() {
    return encode();
  }
}
