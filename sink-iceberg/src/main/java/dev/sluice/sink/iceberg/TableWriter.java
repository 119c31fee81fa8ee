package dev.sluice.sink.iceberg;

import dev.sluice.core.SluiceException.DataException;
import dev.sluice.core.event.ChangeEvent;
import dev.sluice.core.event.ChangeEvent.Op;
import dev.sluice.core.event.Column;
import dev.sluice.core.event.Key;
import dev.sluice.core.event.LogicalType;
import dev.sluice.core.event.Row;
import dev.sluice.core.event.TableSchema;
import dev.sluice.core.sink.MetadataColumn;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.PartitionKey;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.GenericAppenderFactory;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.InternalRecordWrapper;
import org.apache.iceberg.deletes.EqualityDeleteWriter;
import org.apache.iceberg.deletes.PositionDelete;
import org.apache.iceberg.deletes.PositionDeleteWriter;
import org.apache.iceberg.encryption.EncryptedOutputFile;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.io.OutputFileFactory;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

/**
 * The files one Iceberg table gets between two commits, written as the changes arrive, so the heap
 * holds only open Parquet writers and the small per-key state below.
 *
 * <p>Three streams: snapshot rows (READ) are appended to "read" data files and never need a delete;
 * changes become an equality delete on the key (in a global, unpartitioned delete file) plus the
 * new row in "change" data files. At commit the read files go in a commit of their own before the
 * changes, so the changes' equality deletes (a higher sequence number) apply to them: a row read by
 * the snapshot always reaches the sink before any change of its key. An equality delete does not
 * apply to rows of its own commit, so a key changed twice before a commit also gets a position
 * delete for the row its earlier change wrote: {@link #written} remembers where each key's row of
 * this generation is, and is bounded by {@link IcebergSink#MAX_TRACKED_KEYS} across tables (past it
 * the sink commits a generation early, as an intermediate commit of the same checkpoint).
 */
final class TableWriter {
  /** Rows between two looks at a data file's size. */
  private static final int SIZE_CHECK_ROWS = 256;
  /** Partition writers open at once per stream; the least recently used is closed past this. */
  private static final int MAX_OPEN_PARTITIONS = 8;

  final TableIdentifier ident;
  final Table table;
  final TableSchema source;
  private final Schema schema;
  private final boolean keyed;
  /** Whether snapshot rows are appended (else written as upserts, like changes). */
  private final boolean appendReads;
  private final long targetFileSize;
  /** Per Iceberg field: the source column it comes from, or -1. */
  private final int[] sourceIndex;
  /** Per Iceberg field: the metadata column it holds, or null. */
  private final MetadataColumn[] metadata;
  private final LogicalType[] logical;
  private final Type[] types;
  private final Schema deleteSchema;
  private final PartitionSpec spec;
  private final PartitionKey partitionKey;
  private final InternalRecordWrapper wrapper;
  private final GenericAppenderFactory dataFactory;
  private final GenericAppenderFactory deleteFactory;
  private final PartitionSpec deleteSpec;
  private final OutputFileFactory files;

  private final Map<PartitionKey, Roller> readWriters = new LinkedHashMap<>(16, 0.75f, true);
  private final Map<PartitionKey, Roller> changeWriters = new LinkedHashMap<>(16, 0.75f, true);
  private EqualityDeleteWriter<org.apache.iceberg.data.Record> eqDeletes;
  private int eqDeleteRows;
  /** Where this generation wrote each changed key's current row. */
  private final Map<Key, Written> written = new HashMap<>();
  private final List<PositionDelete<org.apache.iceberg.data.Record>> positionDeletes = new ArrayList<>();
  private final List<Written> positionDeleteTargets = new ArrayList<>();

  final List<DataFile> readFiles = new ArrayList<>();
  final List<DataFile> changeFiles = new ArrayList<>();
  final List<DeleteFile> deleteFiles = new ArrayList<>();

  private record Written(String path, long pos, PartitionKey partition) {}

  TableWriter(TableIdentifier ident, Table table, TableSchema source, List<MetadataColumn> metadataColumns,
      boolean appendReads, long targetFileSize, boolean appendOnly) {
    this.ident = ident;
    this.table = table;
    this.source = source;
    this.schema = table.schema();
    this.keyed = source.hasPrimaryKey() && !appendOnly;
    this.appendReads = appendReads;
    this.targetFileSize = targetFileSize;
    List<Types.NestedField> fields = schema.columns();
    this.sourceIndex = new int[fields.size()];
    this.metadata = new MetadataColumn[fields.size()];
    this.logical = new LogicalType[fields.size()];
    this.types = new Type[fields.size()];
    for (int i = 0; i < fields.size(); i++) {
      String name = fields.get(i).name();
      types[i] = fields.get(i).type();
      sourceIndex[i] = -1;
      for (int c = 0; c < source.columns().size(); c++) {
        Column col = source.columns().get(c);
        if (col.name().equals(name)) {
          sourceIndex[i] = c;
          logical[i] = col.type();
        }
      }
      if (sourceIndex[i] < 0) {
        for (MetadataColumn m : metadataColumns) {
          if (m.column().equals(name)) {
            metadata[i] = m;
          }
        }
        if (metadata[i] == null && appendOnly && name.equals(MetadataColumn.OP.column())) {
          metadata[i] = MetadataColumn.OP;
        }
      }
    }
    this.spec = table.spec();
    this.partitionKey = spec.isUnpartitioned() ? null : new PartitionKey(spec, schema);
    this.wrapper = new InternalRecordWrapper(schema.asStruct());
    Map<String, String> props = table.properties();
    if (keyed) {
      List<Integer> ids = new ArrayList<>();
      for (String k : source.keyColumns()) {
        ids.add(schema.findField(k).fieldId());
      }
      int[] eqIds = ids.stream().mapToInt(Integer::intValue).toArray();
      this.deleteSchema = schema.select(source.keyColumns());
      this.deleteSpec = table.specs().values().stream().filter(PartitionSpec::isUnpartitioned)
          .min(Comparator.comparingInt(PartitionSpec::specId)).orElse(null);
      if (deleteSpec == null) {
        throw new dev.sluice.core.SluiceException.ConfigurationException("iceberg sink: table " + ident
            + " is partitioned and has no unpartitioned spec for the sink's global equality deletes; let the sink "
            + "create the table (it keeps spec 0 unpartitioned) or drop its partitioning");
      }
      this.dataFactory = new GenericAppenderFactory(table, schema, spec, props, eqIds, deleteSchema, null);
      this.deleteFactory = new GenericAppenderFactory(table, schema, deleteSpec, props, eqIds, deleteSchema, null);
    } else {
      this.deleteSchema = null;
      this.deleteSpec = null;
      this.dataFactory = new GenericAppenderFactory(table, schema, spec, props, null, null, null);
      this.deleteFactory = null;
    }
    this.files = OutputFileFactory.builderFor(table, 1, System.currentTimeMillis())
        .format(FileFormat.PARQUET).operationId(UUID.randomUUID().toString()).build();
  }

  Schema schema() {
    return schema;
  }

  /** Keys whose row position this generation remembers, and position deletes it holds for its commit. */
  int trackedKeys() {
    return written.size() + positionDeletes.size();
  }

  boolean isEmpty() {
    return readWriters.isEmpty() && changeWriters.isEmpty() && eqDeletes == null && positionDeletes.isEmpty()
        && readFiles.isEmpty() && changeFiles.isEmpty() && deleteFiles.isEmpty();
  }

  /** Writes one batch's changes of this table, each key collapsed to its last state in the batch. */
  void write(List<ChangeEvent> events) {
    if (!keyed) {
      for (ChangeEvent e : events) {
        GenericRecord r = record(e.op() == Op.DELETE ? e.before() : e.after(), e);
        roller(readWriters, true, r).write(r);
      }
      return;
    }
    // Last state per key within the batch (bounded by the batch); READ rows go straight out.
    Map<Key, ChangeEvent> last = new LinkedHashMap<>();
    for (ChangeEvent e : events) {
      if (e.op() == Op.READ && appendReads) {
        GenericRecord r = record(e.after(), e);
        roller(readWriters, true, r).write(r);
        continue;
      }
      if (e.op() == Op.UPDATE && e.before() != null) {
        Key old = source.keyOf(e.before());
        Key now = source.keyOf(e.after());
        if (!old.equals(now)) {
          // The key changed: the row under the old key is gone.
          last.remove(old);
          last.put(old, new ChangeEvent(e.schema(), Op.DELETE, e.before(), null, e.position(), e.sourceTime(),
              e.transactionId()));
        }
      }
      Key k = e.key();
      last.remove(k); // keep arrival order of the last change
      last.put(k, e);
    }
    for (Map.Entry<Key, ChangeEvent> entry : last.entrySet()) {
      apply(entry.getKey(), entry.getValue());
    }
  }

  private void apply(Key key, ChangeEvent e) {
    GenericRecord del = GenericRecord.create(deleteSchema);
    for (int i = 0; i < key.size(); i++) {
      String col = source.keyColumns().get(i);
      Types.NestedField f = schema.findField(col);
      del.setField(col, TypeMapping.toIceberg(key.get(i), source.columns().get(source.columnIndex(col)).type(), f.type()));
    }
    eqDeleteWriter().write(del);
    eqDeleteRows++;
    Written before = written.remove(key);
    if (before != null) {
      PositionDelete<org.apache.iceberg.data.Record> pd = PositionDelete.create();
      positionDeletes.add(pd.set(before.path, before.pos));
      positionDeleteTargets.add(before);
    }
    if (e.op() != Op.DELETE) {
      GenericRecord r = record(e.after(), e);
      Roller w = roller(changeWriters, false, r);
      long pos = w.write(r);
      written.put(key, new Written(w.path, pos, w.partition));
    }
  }

  private GenericRecord record(Row row, ChangeEvent e) {
    GenericRecord r = GenericRecord.create(schema);
    for (int i = 0; i < types.length; i++) {
      Object v;
      if (sourceIndex[i] >= 0) {
        try {
          v = TypeMapping.toIceberg(row.get(sourceIndex[i]), logical[i], types[i]);
        } catch (ArithmeticException | ClassCastException | NumberFormatException ex) {
          throw new DataException("iceberg sink: table " + ident + " column '" + schema.columns().get(i).name()
              + "' (" + types[i] + ") cannot hold the value of " + source.id() + " column of type " + logical[i]
              + " (" + e.op() + " of key " + (source.hasKey() ? source.keyOf(row) : "?") + "): " + ex.getMessage(), ex);
        }
      } else if (metadata[i] != null) {
        v = switch (metadata[i]) {
          case SOURCE_TABLE -> e.table().toString();
          case OP -> e.op().code();
          case SOURCE_TS -> e.sourceTime() == null ? null : e.sourceTime().atOffset(ZoneOffset.UTC);
        };
      } else {
        v = null;
      }
      if (v == null && schema.columns().get(i).isRequired()) {
        throw new DataException("iceberg sink: table " + ident + " column '" + schema.columns().get(i).name()
            + "' is required in the Iceberg table but the source row has no value for it ("
            + source.id() + ", " + e.op() + ")");
      }
      r.set(i, v);
    }
    return r;
  }

  private EqualityDeleteWriter<org.apache.iceberg.data.Record> eqDeleteWriter() {
    if (eqDeletes != null && eqDeleteRows % SIZE_CHECK_ROWS == 0 && eqDeletes.length() >= targetFileSize) {
      closeEqDeletes();
    }
    if (eqDeletes == null) {
      EncryptedOutputFile out = files.newOutputFile(deleteSpec, null);
      eqDeletes = deleteFactory.newEqDeleteWriter(out, FileFormat.PARQUET, null);
    }
    return eqDeletes;
  }

  private void closeEqDeletes() {
    if (eqDeletes != null) {
      try {
        eqDeletes.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      deleteFiles.add(eqDeletes.toDeleteFile());
      eqDeletes = null;
    }
  }

  private Roller roller(Map<PartitionKey, Roller> writers, boolean reads, GenericRecord r) {
    PartitionKey pk = null;
    if (partitionKey != null) {
      partitionKey.partition(wrapper.wrap(r));
      pk = partitionKey;
    }
    Roller w = writers.get(pk);
    if (w == null) {
      PartitionKey copy = pk == null ? null : pk.copy();
      if (writers.size() >= MAX_OPEN_PARTITIONS) {
        Iterator<Map.Entry<PartitionKey, Roller>> eldest = writers.entrySet().iterator();
        Roller old = eldest.next().getValue();
        eldest.remove();
        old.close();
      }
      w = new Roller(copy, reads ? readFiles : changeFiles);
      writers.put(copy, w);
    }
    return w;
  }

  /**
   * Closes every open file and returns this generation's files; the writer starts a new generation
   * (nothing remembered) once the caller has committed them.
   */
  void closeFiles() {
    for (Roller w : readWriters.values()) {
      w.close();
    }
    readWriters.clear();
    for (Roller w : changeWriters.values()) {
      w.close();
    }
    changeWriters.clear();
    closeEqDeletes();
    eqDeleteRows = 0;
    if (!positionDeletes.isEmpty()) {
      writePositionDeletes();
    }
    written.clear();
  }

  /** Position deletes, sorted by file and position, one file per partition of the rows they delete. */
  private void writePositionDeletes() {
    Map<PartitionKey, List<Integer>> byPartition = new HashMap<>();
    for (int i = 0; i < positionDeletes.size(); i++) {
      byPartition.computeIfAbsent(positionDeleteTargets.get(i).partition, p -> new ArrayList<>()).add(i);
    }
    for (Map.Entry<PartitionKey, List<Integer>> group : byPartition.entrySet()) {
      List<Integer> order = group.getValue();
      order.sort(Comparator.<Integer, String>comparing(i -> positionDeleteTargets.get(i).path)
          .thenComparingLong(i -> positionDeleteTargets.get(i).pos));
      EncryptedOutputFile out = files.newOutputFile(spec, group.getKey());
      PositionDeleteWriter<org.apache.iceberg.data.Record> w =
          dataFactory.newPosDeleteWriter(out, FileFormat.PARQUET, group.getKey());
      try (w) {
        for (int i : order) {
          w.write(positionDeletes.get(i));
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      deleteFiles.add(w.toDeleteFile());
    }
    positionDeletes.clear();
    positionDeleteTargets.clear();
  }

  /** Forgets this generation's committed files. */
  void committed() {
    readFiles.clear();
    changeFiles.clear();
    deleteFiles.clear();
  }

  /** The files still open (so in no commit), for a best-effort clean-up after a failure; forgets the rest. */
  List<String> abandon() {
    List<String> paths = new ArrayList<>();
    for (Roller w : readWriters.values()) {
      paths.add(w.abandon());
    }
    for (Roller w : changeWriters.values()) {
      paths.add(w.abandon());
    }
    readWriters.clear();
    changeWriters.clear();
    if (eqDeletes != null) {
      try {
        eqDeletes.close();
        paths.add(eqDeletes.toDeleteFile().location());
      } catch (IOException | RuntimeException e) {
        // the file is an orphan either way
      }
      eqDeletes = null;
    }
    // Closed files may be in a commit whose outcome the failure hid: they are left alone (an
    // orphan at worst, which Iceberg's orphan-file clean-up removes).
    committed();
    written.clear();
    positionDeletes.clear();
    positionDeleteTargets.clear();
    return paths;
  }

  /** Data files of one partition, rolling to a new file at the target size. */
  private final class Roller {
    private final PartitionKey partition;
    private final List<DataFile> done;
    private DataWriter<org.apache.iceberg.data.Record> writer;
    String path;
    private long rows;

    Roller(PartitionKey partition, List<DataFile> done) {
      this.partition = partition;
      this.done = done;
    }

    /** Writes a row; returns its position in the current file. */
    long write(GenericRecord r) {
      if (writer != null && rows % SIZE_CHECK_ROWS == 0 && rows > 0 && writer.length() >= targetFileSize) {
        close();
      }
      if (writer == null) {
        EncryptedOutputFile out = files.newOutputFile(spec, partition);
        writer = dataFactory.newDataWriter(out, FileFormat.PARQUET, partition);
        path = out.encryptingOutputFile().location();
        rows = 0;
      }
      writer.write(r);
      return rows++;
    }

    void close() {
      if (writer != null) {
        try {
          writer.close();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
        done.add(writer.toDataFile());
        writer = null;
      }
    }

    String abandon() {
      if (writer != null) {
        try {
          writer.close();
        } catch (IOException | RuntimeException e) {
          // an orphan either way
        }
        writer = null;
      }
      return path;
    }
  }
}
