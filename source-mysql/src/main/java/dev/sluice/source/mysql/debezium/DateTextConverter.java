package dev.sluice.source.mysql.debezium;

import io.debezium.spi.converter.CustomConverter;
import io.debezium.spi.converter.RelationalColumn;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Properties;
import org.apache.kafka.connect.data.SchemaBuilder;

/**
 * Hands DATE and DATETIME values from the binlog over as the text the chunk SELECT reads
 * ({@code CAST(c AS CHAR)}: {@code 2024-06-01}, {@code 2024-06-01 12:00:00.123456}), in an optional
 * field. Debezium's row deserializer turns a zero date into null; its own conversion would then put
 * the epoch into a NOT NULL column, where it cannot be told from a real 1970-01-01. Through this
 * converter the null stays, and since a NOT NULL column holds no SQL null, a null there is a zero
 * date ({@code MySqlValues.settleZeroDates}).
 */
public final class DateTextConverter implements CustomConverter<SchemaBuilder, RelationalColumn> {
  private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("uuuu-MM-dd", Locale.ROOT);
  private static final DateTimeFormatter DATETIME = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSSSSS",
      Locale.ROOT);

  @Override
  public void configure(Properties props) {}

  @Override
  public void converterFor(RelationalColumn column, ConverterRegistration<SchemaBuilder> registration) {
    String type = column.typeName().toUpperCase(Locale.ROOT);
    if (type.equals("DATE") || type.equals("DATETIME")) {
      registration.register(SchemaBuilder.string().optional(), DateTextConverter::text);
    }
  }

  static String text(Object raw) {
    if (raw == null) {
      return null;
    }
    if (raw instanceof LocalDateTime t) {
      return DATETIME.format(t);
    }
    if (raw instanceof LocalDate d) {
      return DATE.format(d);
    }
    return raw.toString();
  }
}
