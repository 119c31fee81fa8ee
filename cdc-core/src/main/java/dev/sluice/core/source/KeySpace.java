package dev.sluice.core.source;

import dev.sluice.core.event.Key;

/**
 * What the chunk planner needs to know of a table's keys: the smallest and largest key
 * ({@code null} for an empty table) and an estimate of the row count (from statistics; need not be
 * exact).
 */
public record KeySpace(Key min, Key max, long approximateRows) {

  public static final KeySpace EMPTY = new KeySpace(null, null, 0);

  public boolean isEmpty() {
    return min == null;
  }
}
