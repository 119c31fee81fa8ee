package dev.sluice.source.mysql.debezium;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;
import java.util.LinkedHashSet;
import java.util.HashSet;
import java.util.Collection;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The Debezium offset that starts the binlog reader just after a Sluice position: on MySQL a GTID
 * set (every transaction not in it is read), on MariaDB the file, position and GTID position there.
 */
final class OffsetSeed {
  private static final Map<String, Object> PARTITION = Map.of("server", BinlogLog.SERVER_NAME);
  private static final ObjectMapper JSON = new ObjectMapper();

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
    return DebeziumLog.initialState(PARTITION, offset, records(offset, createStatements));
  }

  /**
   * The stored state of a resumed log with these definitions added to its schema history at its
   * offset: the tables {@link #unknown} found, captured for the first time by this run (a widened
   * pattern, a table added through the API) and created while not captured, so Debezium never
   * recorded their {@code CREATE}. Without them Debezium refuses their first change.
   */
  static Map<String, String> resumed(Map<String, String> state, Map<TableId, String> createStatements) {
    if (createStatements.isEmpty()) {
      return state;
    }
    return DebeziumLog.withHistory(state, records(DebeziumLog.storedOffset(state), createStatements));
  }

  /** Whether a schema history defines a table (see {@link #unknown}). */
  static boolean known(List<String> history, TableId table) {
    return unknown(history, List.of(table)).isEmpty();
  }

  /**
   * The tables a schema history does not define. A table is defined by a record whose table changes
   * name it (Debezium's own records), or whose DDL creates or renames something to it in its
   * database (the definitions written at a first start carry no table changes). Each record is read
   * once, whatever the number of tables.
   */
  static Set<TableId> unknown(List<String> history, Collection<TableId> tables) {
    Set<TableId> left = new LinkedHashSet<>(tables);
    for (String text : history) {
      if (left.isEmpty()) {
        break;
      }
      JsonNode r;
      try {
        r = JSON.readTree(text);
      } catch (IOException e) {
        throw new InternalException("a schema history record of the checkpoint is not readable JSON", e);
      }
      Set<String> ids = new HashSet<>();
      r.path("tableChanges").forEach(change -> ids.add(change.path("id").asText()));
      String db = r.path("databaseName").asText("");
      String ddl = r.path("ddl").asText("");
      left.removeIf(t -> ids.contains("\"" + t.catalog() + "\".\"" + t.table() + "\"") || names(ddl, db, t));
    }
    return left;
  }

  /** Whether a DDL statement run in database {@code db} creates the table or renames something to it. */
  private static boolean names(String ddl, String db, TableId table) {
    Pattern named = Pattern.compile("(?i)(CREATE\\s+TABLE(\\s+IF\\s+NOT\\s+EXISTS)?|\\bTO)\\s+(`?"
        + Pattern.quote(table.catalog()) + "`?\\.)?`?" + Pattern.quote(table.table()) + "`?(\\s|\\(|,|;|$)");
    boolean sameDatabase = db.isEmpty() || db.equalsIgnoreCase(table.catalog());
    return named.matcher(ddl).find() && (sameDatabase || ddl.contains(table.catalog()));
  }

  private static List<String> records(Map<String, ?> offset, Map<TableId, String> createStatements) {
    List<String> history = new ArrayList<>();
    Instant now = Instant.now();
    createStatements.forEach((table, ddl) -> {
      HistoryRecord r = new HistoryRecord(PARTITION, offset, table.catalog(), null, ddl, new TableChanges(), now);
      try {
        history.add(DocumentWriter.defaultWriter().write(r.document()));
      } catch (IOException e) {
        throw new InternalException("cannot write a schema history record for " + table, e);
      }
    });
    return history;
  }
}
