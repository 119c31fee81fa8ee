package dev.sluice.sink.kafka;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.sluice.core.event.LogicalType;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/**
 * Writes one value of a {@link LogicalType} as JSON, exactly: nothing is rounded or reformatted
 * except where the README says so. Integers are JSON numbers; DECIMAL a plain string keeping its
 * scale ({@code "12.50"}) or the same digits as a JSON number; FLOAT32/64 numbers, with NaN and the
 * infinities as the strings {@code "NaN"}, {@code "Infinity"}, {@code "-Infinity"}; BYTES standard
 * base64; UUID, STRING, JSON and ENUM strings (a JSON column stays a string holding JSON, as in
 * Debezium); DATE and TIME ISO-8601; TIMESTAMP ISO-8601 without zone and TIMESTAMP_TZ ISO-8601 in UTC
 * with {@code Z}, or both as microseconds since the epoch (TIMESTAMP read as UTC; digits below the
 * microsecond, which no Sluice source produces, are cut); ARRAY a JSON array.
 */
final class JsonValues {
  private final boolean decimalAsNumber;
  private final boolean epochMicros;

  JsonValues(boolean decimalAsNumber, boolean epochMicros) {
    this.decimalAsNumber = decimalAsNumber;
    this.epochMicros = epochMicros;
  }

  /** Throws {@link ClassCastException} when the value is not the type's Java representation. */
  void write(JsonGenerator g, LogicalType type, Object v) throws IOException {
    if (v == null) {
      g.writeNull();
      return;
    }
    switch (type.kind()) {
      case BOOLEAN -> g.writeBoolean((Boolean) v);
      case INT8, INT16, INT32 -> g.writeNumber((Integer) v);
      case INT64 -> g.writeNumber((Long) v);
      case DECIMAL -> writeDecimal(g, (BigDecimal) v);
      case FLOAT32 -> writeFloat(g, (Float) v);
      case FLOAT64 -> writeDouble(g, (Double) v);
      case STRING, JSON, ENUM -> g.writeString((String) v);
      case BYTES -> g.writeString(Base64.getEncoder().encodeToString((byte[]) v));
      case UUID -> g.writeString(((UUID) v).toString());
      case DATE -> g.writeString(isoDate((LocalDate) v));
      case TIME -> g.writeString(isoTime((LocalTime) v));
      case TIMESTAMP -> writeTimestamp(g, (LocalDateTime) v);
      case TIMESTAMP_TZ -> writeInstant(g, (Instant) v);
      case ARRAY -> {
        g.writeStartArray();
        for (Object e : (List<?>) v) {
          write(g, type.element(), e);
        }
        g.writeEndArray();
      }
      default -> throw new IllegalStateException("no JSON form for " + type);
    }
  }

  private void writeDecimal(JsonGenerator g, BigDecimal d) throws IOException {
    if (decimalAsNumber) {
      // writeNumber(String) puts the digits out verbatim: no exponent, scale kept.
      g.writeNumber(d.toPlainString());
    } else {
      g.writeString(d.toPlainString());
    }
  }

  private static void writeFloat(JsonGenerator g, float f) throws IOException {
    if (Float.isFinite(f)) {
      g.writeNumber(f);
    } else {
      g.writeString(Float.toString(f));
    }
  }

  private static void writeDouble(JsonGenerator g, double d) throws IOException {
    if (Double.isFinite(d)) {
      g.writeNumber(d);
    } else {
      g.writeString(Double.toString(d));
    }
  }

  private void writeTimestamp(JsonGenerator g, LocalDateTime t) throws IOException {
    if (epochMicros) {
      g.writeNumber(micros(t.toInstant(ZoneOffset.UTC)));
    } else {
      g.writeString(isoDateTime(t));
    }
  }

  // The ISO formatters' output, written digit by digit: DateTimeFormatter was a tenth of the
  // encoding's time. Years outside 0..9999 (signed, wider) still go through the formatter.

  /** {@code DateTimeFormatter.ISO_LOCAL_DATE}'s text. */
  static String isoDate(LocalDate d) {
    if (d.getYear() < 0 || d.getYear() > 9999) {
      return d.format(DateTimeFormatter.ISO_LOCAL_DATE);
    }
    char[] c = new char[10];
    date(c, d);
    return new String(c);
  }

  /** {@code DateTimeFormatter.ISO_LOCAL_TIME}'s text: seconds always, the fraction without trailing zeros. */
  static String isoTime(LocalTime t) {
    char[] c = new char[18];
    return new String(c, 0, time(c, 0, t));
  }

  /** {@code DateTimeFormatter.ISO_LOCAL_DATE_TIME}'s text. */
  static String isoDateTime(LocalDateTime t) {
    if (t.getYear() < 0 || t.getYear() > 9999) {
      return t.format(DateTimeFormatter.ISO_LOCAL_DATE_TIME);
    }
    char[] c = new char[29];
    date(c, t.toLocalDate());
    c[10] = 'T';
    return new String(c, 0, time(c, 11, t.toLocalTime()));
  }

  private static void date(char[] c, LocalDate d) {
    digits(c, 0, d.getYear(), 4);
    c[4] = '-';
    digits(c, 5, d.getMonthValue(), 2);
    c[7] = '-';
    digits(c, 8, d.getDayOfMonth(), 2);
  }

  /** Writes the time at {@code at}; returns the end. */
  private static int time(char[] c, int at, LocalTime t) {
    digits(c, at, t.getHour(), 2);
    c[at + 2] = ':';
    digits(c, at + 3, t.getMinute(), 2);
    c[at + 5] = ':';
    digits(c, at + 6, t.getSecond(), 2);
    int end = at + 8;
    int nano = t.getNano();
    if (nano != 0) {
      c[end] = '.';
      digits(c, end + 1, nano, 9);
      end += 10;
      while (c[end - 1] == '0') {
        end--;
      }
    }
    return end;
  }

  private static void digits(char[] c, int at, int value, int width) {
    for (int i = at + width - 1; i >= at; i--) {
      c[i] = (char) ('0' + value % 10);
      value /= 10;
    }
  }

  private void writeInstant(JsonGenerator g, Instant t) throws IOException {
    if (epochMicros) {
      g.writeNumber(micros(t));
    } else {
      g.writeString(DateTimeFormatter.ISO_INSTANT.format(t));
    }
  }

  /** Microseconds since the epoch, rounded toward negative infinity like Debezium's MicroTimestamp. */
  static long micros(Instant t) {
    return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1_000);
  }
}
