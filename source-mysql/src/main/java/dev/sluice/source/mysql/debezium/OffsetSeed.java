package dev.sluice.source.mysql.debezium;

import dev.sluice.source.debezium.DebeziumLog;
import dev.sluice.source.mysql.BinlogPosition;
import java.util.HashMap;
import java.util.Map;

/**
 * The Debezium offset that starts the binlog reader just after a Sluice position: on MySQL a GTID
 * set (every transaction not in it is read), on MariaDB the file, position and GTID position there.
 */
final class OffsetSeed {
  private OffsetSeed() {}

  static Map<String, String> state(BinlogPosition from, BinlogPosition status, boolean mariadb) {
    Map<String, Object> offset = new HashMap<>();
    if (from.kind() == BinlogPosition.Kind.VISIBLE) {
      // MySQL with GTIDs: the GTID set decides where reading starts (every transaction not in it);
      // the file and position are only required to be present.
      offset.put("file", status.file());
      offset.put("pos", status.pos());
      offset.put("gtids", from.gtidSet());
    } else {
      offset.put("file", from.file());
      offset.put("pos", from.pos());
      if (from.event() > 0 || from.row() > 0) {
        offset.put("event", from.event());
        offset.put("row", from.row());
      }
      if (from.gtidSet() != null) {
        offset.put("gtids", from.gtidSet());
      }
    }
    return DebeziumLog.initialState(Map.of("server", BinlogLog.SERVER_NAME), offset);
  }
}
