package dev.sluice.sink.jdbc.dialect;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * An ARRAY value as JSON array text, for targets without arrays (MySQL, MariaDB, SQLite): numbers,
 * booleans and strings as JSON has them, bytes as hex, times and UUIDs as their ISO-8601 / canonical
 * text, nested arrays as nested JSON arrays.
 */
final class JsonArrays {
  private static final ObjectMapper JSON = new ObjectMapper();

  private JsonArrays() {}

  static String write(List<?> values) {
    try {
      return JSON.writeValueAsString(convert(values));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("array not writable as JSON: " + e.getMessage(), e);
    }
  }

  private static List<Object> convert(List<?> values) {
    List<Object> out = new ArrayList<>(values.size());
    for (Object v : values) {
      out.add(value(v));
    }
    return out;
  }

  private static Object value(Object v) {
    if (v == null || v instanceof Number || v instanceof Boolean || v instanceof String) {
      return v;
    }
    if (v instanceof byte[] b) {
      return HexFormat.of().formatHex(b);
    }
    if (v instanceof List<?> list) {
      return convert(list);
    }
    return v.toString();
  }
}
