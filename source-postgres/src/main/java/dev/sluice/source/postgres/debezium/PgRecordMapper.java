package dev.sluice.source.postgres.debezium;

import dev.sluice.core.SluiceException;
import dev.sluice.core.SluiceException.ConfigurationException;
import dev.sluice.core.SluiceException.ConnectionException;
import dev.sluice.core.SluiceException.DataException;
import dev.sluice.core.event.ChangeEvent;
import dev.sluice.core.event.ChangeEvent.Op;
import dev.sluice.core.event.Event;
import dev.sluice.core.event.Position;
import dev.sluice.core.event.Row;
import dev.sluice.core.event.TableId;
import dev.sluice.core.event.TableSchema;
import dev.sluice.source.debezium.RecordMapper;
import dev.sluice.source.postgres.Lsn;
import dev.sluice.source.postgres.PgValues;
import dev.sluice.source.postgres.TableInfo;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * Turns Debezium PostgreSQL records into core events placed by commit LSN ({@link Lsn}).
 *
 * <p>A change record does not carry its own transaction's commit LSN, only the previous one's
 * (Debezium's {@code sequence}). So a transaction's changes are held until the log shows it
 * committed: the first record of the next transaction (its {@code sequence} starts with the end
 * LSN of the previous commit), or a heartbeat whose offset says the last message read was that
 * transaction's COMMIT (the offset's LSN is then the commit's end LSN). Held changes are bounded by the size of one transaction. Records inside a
 * held span are not {@link #storable}: their offsets must not reach the checkpoint or the slot.
 *
 * <p>A mark at {@code L} is reported for a heartbeat when nothing is held: every transaction
 * committed at or before the last message read has been returned, since the log is in commit order.
 * Only offsets written right after a COMMIT are stored and acknowledged, so a resume never starts
 * inside a transaction.
 */
final class PgRecordMapper implements RecordMapper {
  static final String PLACEHOLDER = "__sluice_unavailable_value";
  private static final byte[] PLACEHOLDER_BYTES = PLACEHOLDER.getBytes(StandardCharsets.UTF_8);

  private record Held(TableInfo info, Op op, Row before, Row after, Instant time) {}

  private final Map<TableId, TableInfo> tables;
  private final String database;
  private final Lsn from;
  private final List<Held> held = new ArrayList<>();
  private Long heldTx;
  private Long lastTx;
  private long released;

  // What the record last passed to events() means, for position() and storable() right after.
  private Position position;
  private boolean storable;

  PgRecordMapper(Map<TableId, TableInfo> tables, String database, Lsn from) {
    this.tables = Map.copyOf(tables);
    this.database = database;
    this.from = from;
    this.released = from.commit();
  }

  @Override
  public List<Event> events(SourceRecord record) {
    position = null;
    storable = false;
    List<Event> out = new ArrayList<>();
    Struct value = record.value() instanceof Struct s ? s : null;
    Struct source = value != null && value.schema().field("source") != null ? value.getStruct("source") : null;
    if (source != null) {
      Long tx = number(source.get("txId"));
      Long previousCommit = previousCommit(source);
      if (tx != null && !tx.equals(lastTx) && previousCommit != null) {
        // A new transaction: everything committed up to the previous commit has been read.
        release(previousCommit, out);
        position = Lsn.mark(released);
      }
      lastTx = tx;
      if (value.schema().field("op") != null) {
        hold(value, source, tx);
      }
      return out;
    }
    if (record.topic() != null && record.topic().startsWith("__debezium-heartbeat") && record.sourceOffset() != null) {
      Long lsn = number(record.sourceOffset().get("lsn"));
      Long tx = number(record.sourceOffset().get("txId"));
      if (lsn == null) {
        return out;
      }
      // After a COMMIT the offset is that commit's end LSN: the transaction (held or not) is complete.
      boolean afterCommit = "COMMIT".equals(String.valueOf(record.sourceOffset().get("messageType")));
      if (!held.isEmpty() && afterCommit && tx != null && tx.equals(heldTx)) {
        release(lsn, out);
      }
      if (held.isEmpty()) {
        released = max(released, lsn);
        position = Lsn.mark(released);
        storable = afterCommit;
      }
    }
    return out;
  }

  private void hold(Struct value, Struct source, Long tx) {
    Op op = switch (value.getString("op")) {
      case "c" -> Op.INSERT;
      case "u" -> Op.UPDATE;
      case "d" -> Op.DELETE;
      default -> null;
    };
    String table = source.getString("table");
    if (op == null || table == null || table.isEmpty()) {
      return;
    }
    TableInfo info = tables.get(new TableId(database, source.getString("schema"), table));
    if (info == null) {
      return;
    }
    Row before = row(info, value.getStruct("before"), null);
    Row after = row(info, value.getStruct("after"), before);
    Object ts = source.get("ts_ms");
    Instant time = ts == null ? null : Instant.ofEpochMilli(((Number) ts).longValue());
    held.add(new Held(info, op, before, after, time));
    heldTx = tx;
  }

  /** Returns the held changes, placed at {@code commit} (or later, never before what was returned). */
  private void release(long commit, List<Event> out) {
    long at = max(released, commit);
    for (int i = 0; i < held.size(); i++) {
      Held h = held.get(i);
      Lsn p = Lsn.change(at, i);
      if (Lsn.compare(p, from) > 0) {
        out.add(new ChangeEvent(h.info().schema(), h.op(), h.before(), h.after(), p, h.time(),
            heldTx == null ? Lsn.format(at) : Long.toString(heldTx)));
      }
    }
    held.clear();
    heldTx = null;
    released = at;
  }

  private static long max(long a, long b) {
    return Long.compareUnsigned(a, b) >= 0 ? a : b;
  }

  /** The first element of Debezium's {@code sequence}, {@code ["<last commit lsn>","<lsn>"]}. */
  private static Long previousCommit(Struct source) {
    Object seq = source.schema().field("sequence") == null ? null : source.get("sequence");
    if (seq == null) {
      return null;
    }
    String[] parts = seq.toString().replaceAll("[\\[\\]\" ]", "").split(",");
    if (parts.length < 1 || parts[0].isEmpty() || parts[0].equals("null")) {
      return null;
    }
    return Long.parseLong(parts[0]);
  }

  private static Long number(Object o) {
    return o == null ? null : o instanceof Number n ? n.longValue() : Long.parseLong(o.toString());
  }

  private Row row(TableInfo info, Struct s, Row before) {
    if (s == null) {
      return null;
    }
    TableSchema schema = info.schema();
    Object[] v = new Object[schema.columns().size()];
    for (int i = 0; i < v.length; i++) {
      String name = schema.columns().get(i).name();
      Object raw = s.schema().field(name) == null ? null : s.get(name);
      if (isPlaceholder(raw)) {
        if (before == null) {
          throw new DataException("table " + schema.id() + ": an UPDATE left the large (TOASTed) value of column "
              + name + " unchanged and the log does not carry it; run ALTER TABLE " + info.quotedName()
              + " REPLICA IDENTITY FULL, then delete the checkpoint and snapshot again");
        }
        v[i] = before.get(i);
        continue;
      }
      v[i] = PgValues.fromLog(raw, info.kind(i), info.element(i), info.precision(i), schema.id() + "." + name);
    }
    return Row.wrap(v);
  }

  private static boolean isPlaceholder(Object raw) {
    if (raw instanceof String s) {
      return s.equals(PLACEHOLDER);
    }
    if (raw instanceof ByteBuffer b) {
      return b.remaining() == PLACEHOLDER_BYTES.length && ByteBuffer.wrap(PLACEHOLDER_BYTES).equals(b.duplicate());
    }
    return raw instanceof byte[] a && Arrays.equals(a, PLACEHOLDER_BYTES);
  }

  @Override
  public Position position(SourceRecord record) {
    return position;
  }

  @Override
  public boolean storable(SourceRecord record) {
    return storable;
  }

  @Override
  public SluiceException failure(String message, Throwable error) {
    StringBuilder all = new StringBuilder(message);
    for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
      all.append(" / ").append(t.getMessage());
    }
    String text = all.toString();
    if (text.contains("is active for PID") || text.contains("already active")) {
      return new ConnectionException("the replication slot is in use by another client: " + message
          + "; stop that client or choose another slot.name", error);
    }
    if (text.contains("must be superuser or replication role") || text.contains("permission denied")) {
      return new ConfigurationException("the log reader was refused: " + message
          + "; the user needs the REPLICATION attribute and SELECT on the captured tables", error);
    }
    if (text.contains("has already been removed") || text.contains("can no longer get changes")
        || text.contains("invalidated")) {
      return new ConfigurationException("the WAL to resume from is no longer on the server: " + message
          + "; drop the slot, delete the checkpoint and start again with scan.startup.mode=initial to snapshot anew",
          error);
    }
    return new ConnectionException(message, error);
  }
}
