package dev.sluice.source.mysql;

import dev.sluice.core.SluiceException.ConfigurationException;
import dev.sluice.core.option.Option;
import dev.sluice.core.option.Options;
import java.util.List;

/**
 * Where a first start in {@code scan.startup.mode} {@code specific-offset} or {@code timestamp}
 * begins, as the options give it (checked against the server in {@link StartOffsets}). Each option
 * belongs to one mode and is refused with any other, so a forgotten mode never silently snapshots.
 *
 * @param file with {@code pos}: a binlog file and the position of an event in it
 * @param gtidSet the transactions already done; wins over {@code file}/{@code pos}
 * @param skipEvents binlog events to pass over after the offset (Debezium's {@code event})
 * @param skipRows rows to pass over in the next row event (Debezium's {@code row})
 * @param timestampMillis the time to start at, epoch milliseconds
 */
public record StartAt(String file, Long pos, String gtidSet, long skipEvents, long skipRows, Long timestampMillis) {
  public static final StartAt NONE = new StartAt(null, null, null, 0, 0, null);

  private static final List<Option<?>> SPECIFIC = List.of(MySqlOptions.SPECIFIC_OFFSET_FILE,
      MySqlOptions.SPECIFIC_OFFSET_POS, MySqlOptions.SPECIFIC_OFFSET_GTID_SET, MySqlOptions.SPECIFIC_OFFSET_SKIP_EVENTS,
      MySqlOptions.SPECIFIC_OFFSET_SKIP_ROWS);

  static StartAt from(Options o, String mode) {
    for (Option<?> option : SPECIFIC) {
      if (o.isSet(option) && !mode.equals("specific-offset")) {
        throw refused(o, option.name() + " applies to scan.startup.mode specific-offset only, not '" + mode
            + "'; set that mode or remove the option");
      }
    }
    if (o.isSet(MySqlOptions.STARTUP_TIMESTAMP) != mode.equals("timestamp")) {
      throw refused(o, mode.equals("timestamp")
          ? "scan.startup.mode timestamp needs scan.startup.timestamp-millis (epoch milliseconds)"
          : "scan.startup.timestamp-millis applies to scan.startup.mode timestamp only; set that mode or remove it");
    }
    if (mode.equals("timestamp")) {
      long t = o.get(MySqlOptions.STARTUP_TIMESTAMP);
      if (t < 0) {
        throw refused(o, "scan.startup.timestamp-millis must be epoch milliseconds (0 or more), got " + t);
      }
      return new StartAt(null, null, null, 0, 0, t);
    }
    if (!mode.equals("specific-offset")) {
      return NONE;
    }
    String file = blankToNull(o.get(MySqlOptions.SPECIFIC_OFFSET_FILE));
    Long pos = o.get(MySqlOptions.SPECIFIC_OFFSET_POS);
    String gtids = blankToNull(o.get(MySqlOptions.SPECIFIC_OFFSET_GTID_SET));
    if (gtids == null && (file == null || pos == null)) {
      throw refused(o, "scan.startup.mode specific-offset needs scan.startup.specific-offset.gtid-set, or both "
          + "scan.startup.specific-offset.file and scan.startup.specific-offset.pos"
          + (file == null && pos == null ? "" : " (" + (file == null ? "file" : "pos") + " is missing)"));
    }
    if (pos != null && pos < 4) {
      throw refused(o, "scan.startup.specific-offset.pos must be 4 or more (a binlog file's events start at 4), got "
          + pos);
    }
    long events = nonNegative(o, MySqlOptions.SPECIFIC_OFFSET_SKIP_EVENTS);
    long rows = nonNegative(o, MySqlOptions.SPECIFIC_OFFSET_SKIP_ROWS);
    return new StartAt(file, pos, gtids, events, rows, null);
  }

  private static long nonNegative(Options o, Option<Long> option) {
    Long v = o.get(option);
    if (v != null && v < 0) {
      throw refused(o, option.name() + " must be 0 or more, got " + v);
    }
    return v == null ? 0 : v;
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }

  private static ConfigurationException refused(Options o, String message) {
    return new ConfigurationException(o.where() + ": " + message);
  }
}
