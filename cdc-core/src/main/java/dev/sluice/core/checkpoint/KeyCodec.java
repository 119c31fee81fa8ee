package dev.sluice.core.checkpoint;

import dev.sluice.core.event.Key;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Writes key components as tagged text ({@code l:42}, {@code s:abc}), so a key read back from a
 * checkpoint has the same Java types as the one the source produced and compares equal to it.
 */
final class KeyCodec {
  private static final Map<Class<?>, String> TAGS = Map.ofEntries(
      Map.entry(Boolean.class, "b"), Map.entry(Byte.class, "B"), Map.entry(Short.class, "S"),
      Map.entry(Integer.class, "i"), Map.entry(Long.class, "l"), Map.entry(BigDecimal.class, "d"),
      Map.entry(Float.class, "f"), Map.entry(Double.class, "F"), Map.entry(String.class, "s"),
      Map.entry(UUID.class, "u"), Map.entry(LocalDate.class, "D"), Map.entry(LocalTime.class, "t"),
      Map.entry(LocalDateTime.class, "T"), Map.entry(Instant.class, "I"));

  private KeyCodec() {}

  static List<String> encode(Key key) {
    List<String> out = new ArrayList<>(key.size());
    for (int i = 0; i < key.size(); i++) {
      out.add(encodeValue(key.get(i)));
    }
    return out;
  }

  static Key decode(List<String> parts) {
    Object[] values = new Object[parts.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = decodeValue(parts.get(i));
    }
    return Key.of(values);
  }

  private static String encodeValue(Object v) {
    if (v == null) {
      return "n:";
    }
    String tag;
    String text;
    if (v instanceof byte[] b) {
      tag = "x";
      text = HexFormat.of().formatHex(b);
    } else {
      tag = TAGS.get(v.getClass());
      if (tag == null) {
        throw new IllegalArgumentException(
            "cannot store a key component of type " + v.getClass().getName() + " in a checkpoint");
      }
      text = v instanceof BigDecimal d ? d.toString() : v.toString();
    }
    return tag + ":" + text;
  }

  private static Object decodeValue(String s) {
    int colon = s.indexOf(':');
    if (colon != 1) {
      throw new IllegalArgumentException("malformed key component in checkpoint: " + s);
    }
    String t = s.substring(2);
    return switch (s.charAt(0)) {
      case 'n' -> null;
      case 'x' -> HexFormat.of().parseHex(t);
      case 'b' -> Boolean.valueOf(t);
      case 'B' -> Byte.valueOf(t);
      case 'S' -> Short.valueOf(t);
      case 'i' -> Integer.valueOf(t);
      case 'l' -> Long.valueOf(t);
      case 'd' -> new BigDecimal(t);
      case 'f' -> Float.valueOf(t);
      case 'F' -> Double.valueOf(t);
      case 's' -> t;
      case 'u' -> UUID.fromString(t);
      case 'D' -> LocalDate.parse(t);
      case 't' -> LocalTime.parse(t);
      case 'T' -> LocalDateTime.parse(t);
      case 'I' -> Instant.parse(t);
      default -> throw new IllegalArgumentException("unknown key component tag in checkpoint: " + s);
    };
  }
}
