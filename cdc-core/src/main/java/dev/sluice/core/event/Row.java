package dev.sluice.core.event;

import java.util.Arrays;
import java.util.List;

/**
 * The values of one row in schema column order, each in the Java representation its
 * {@link LogicalType} prescribes. Immutable.
 */
public final class Row {
  private final Object[] values;
  private long bytes = -1;

  private Row(Object[] values) {
    this.values = values;
  }

  public static Row of(Object... values) {
    return new Row(values.clone());
  }

  public static Row of(List<?> values) {
    return new Row(values.toArray());
  }

  /**
   * Takes ownership of {@code values} without a copy (the hot path of chunk reading); the caller
   * must not change the array afterwards.
   */
  public static Row wrap(Object[] values) {
    return new Row(values);
  }

  public int size() {
    return values.length;
  }

  public Object get(int i) {
    return values[i];
  }

  public List<Object> values() {
    return Arrays.asList(values.clone());
  }

  /** The values at {@code positions}, in that order. */
  public Key key(int[] positions) {
    Object[] k = new Object[positions.length];
    for (int i = 0; i < positions.length; i++) {
      k[i] = values[positions[i]];
    }
    return Key.wrap(k);
  }

  /** An estimate of the heap this row holds; bounds the engine's buffers. */
  public long estimatedBytes() {
    long b = bytes;
    if (b < 0) {
      b = 24 + Values.array(4L * values.length); // this object and its array of references
      for (Object v : values) {
        b += Values.estimatedBytes(v);
      }
      bytes = b;
    }
    return b;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Row r && Values.deepEquals(values, r.values);
  }

  @Override
  public int hashCode() {
    return Arrays.deepHashCode(values);
  }

  @Override
  public String toString() {
    return Values.toString(values);
  }
}
