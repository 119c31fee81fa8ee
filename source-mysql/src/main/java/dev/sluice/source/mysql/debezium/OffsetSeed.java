package dev.sluice.source.mysql.debezium;

import dev.sluice.core.SluiceException.InternalException;
import dev.sluice.core.event.TableId;
import dev.sluice.source.debezium.DebeziumLog;
import dev.sluice.source.mysql.BinlogPosition;
import io.debezium.document.DocumentWriter;
import io.debezium.relational.history.HistoryRecord;
import io.debezium.relational.history.TableChanges;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The Debezium offset that starts the binlog reader just after a Sluice position: on MySQL a GTID
 * set (every transaction not in it is read), on MariaDB the file, position and GTID position there.
 */
final class OffsetSeed {
  private OffsetSeed() {}

  /**
   * @param createStatements each captured table's {@code SHOW CREATE TABLE} text as it is at
   *     {@code from}: the schema history Debezium starts with
   */
  static Map<String, String> state(BinlogPosition from, BinlogPosition status, Map<TableId, String> createStatements) {
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
    Map<String, Object> partition = Map.of("server", BinlogLog.SERVER_NAME);
    List<String> history = new ArrayList<>();
    Instant now = Instant.now();
    createStatements.forEach((table, ddl) -> {
      HistoryRecord r = new HistoryRecord(partition, offset, table.catalog(), null, ddl, new TableChanges(), now);
      try {
        history.add(DocumentWriter.defaultWriter().write(r.document()));
      } catch (IOException e) {
        throw new InternalException("cannot write a schema history record for " + table, e);
      }
    });
    return DebeziumLog.initialState(partition, offset, history);
  }
}
