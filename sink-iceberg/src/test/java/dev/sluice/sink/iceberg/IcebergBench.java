package dev.sluice.sink.iceberg;

import dev.sluice.core.checkpoint.CheckpointStore;
import dev.sluice.core.event.ChangeEvent;
import dev.sluice.core.event.Column;
import dev.sluice.core.event.LogicalType;
import dev.sluice.core.event.Row;
import dev.sluice.core.event.TableId;
import dev.sluice.core.event.TableSchema;
import dev.sluice.core.testing.MemoryPosition;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.iceberg.AppendFiles;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.GenericAppenderFactory;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.io.OutputFileFactory;
import org.apache.iceberg.types.Types;

/**
 * A benchmark, not a test: rows per second into Iceberg through the sink against a plain Iceberg
 * appender writing the same rows into the same kind of table, in the same run, with the peak heap
 * of each. Two workloads: a snapshot (rows appended) and changes (every row updated once, which the
 * sink writes as equality deletes plus rows; the plain side appends the new rows and an equality
 * delete per key, as a hand-written upsert writer would). Each side runs {@code rounds} times,
 * alternating; the best round counts. Run as the module README says.
 */
public final class IcebergBench {
  static final TableSchema NARROW = TableSchema.withPrimaryKey(TableId.of("bench", "narrow"), List.of(
      Column.of("id", LogicalType.INT64, false), Column.of("version", LogicalType.INT64, false),
      Column.of("amount", LogicalType.decimal(12, 2), true), Column.of("at", LogicalType.timestamp(6), true),
      Column.of("payload", LogicalType.STRING, true)), List.of("id"));

  private IcebergBench() {}

  public static void main(String[] args) throws Exception {
    int rows = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 2;
    Path base = Files.createTempDirectory("iceberg-bench");
    try {
      double[] best = new double[4];
      long[] heap = new long[4];
      for (int round = 0; round < rounds; round++) {
        for (int side = 0; side < 2; side++) {
          for (int work = 0; work < 2; work++) {
            Path dir = base.resolve("r" + round + "-" + side + "-" + work);
            System.gc();
            resetPeaks();
            long start = System.nanoTime();
            if (side == 0) {
              sink(dir, rows, work == 1);
            } else {
              plain(dir, rows, work == 1);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            int i = side * 2 + work;
            double rate = (work == 1 ? 2.0 * rows : rows) / seconds;
            best[i] = Math.max(best[i], rate);
            heap[i] = Math.max(heap[i], peakHeap());
            System.out.printf("round %d %-6s %-8s %,12.0f rows/s  peak heap %,d MB%n", round,
                side == 0 ? "sink" : "plain", work == 0 ? "snapshot" : "changes", rate, peakHeap() >> 20);
          }
        }
      }
      System.out.printf("%nrows: %,d per workload, best of %d rounds%n", rows, rounds);
      System.out.printf("snapshot: sink %,.0f rows/s, plain appender %,.0f rows/s, ratio %.2f; peak heap ratio %.2f%n",
          best[0], best[2], best[0] / best[2], (double) heap[0] / heap[2]);
      System.out.printf("changes:  sink %,.0f rows/s, plain writer %,.0f rows/s, ratio %.2f; peak heap ratio %.2f%n",
          best[1], best[3], best[1] / best[3], (double) heap[1] / heap[3]);
    } finally {
      try (var paths = Files.walk(base)) {
        paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static Row row(long id, long version) {
    return Row.of(id, version, BigDecimal.valueOf(id * 37 % 1_000_000, 2),
        LocalDateTime.of(2026, 1, 1, 0, 0).plusSeconds(id), "payload-" + Long.toString(id * 7919, 36));
  }

  /** Through the sink, as the pipeline drives it: batches of 2 048, one checkpoint save at the end. */
  private static void sink(Path dir, int rows, boolean changes) {
    IcebergSink sink = new Lake(dir).sink("bench", Map.of());
    CheckpointStore store = sink.atomicCheckpoints().orElseThrow();
    long pos = 0;
    List<ChangeEvent> batch = new ArrayList<>(2048);
    for (long id = 0; id < rows; id++) {
      batch.add(ChangeEvent.read(NARROW, row(id, 1), new MemoryPosition(++pos)));
      if (batch.size() == 2048) {
        sink.write(batch);
        batch = new ArrayList<>(2048);
      }
    }
    sink.write(batch);
    store.save(Events.checkpoint("bench", pos));
    if (changes) {
      batch = new ArrayList<>(2048);
      for (long id = 0; id < rows; id++) {
        batch.add(new ChangeEvent(NARROW, ChangeEvent.Op.UPDATE, row(id, 1), row(id, 2), new MemoryPosition(++pos),
            java.time.Instant.now(), null));
        if (batch.size() == 2048) {
          sink.write(batch);
          batch = new ArrayList<>(2048);
        }
      }
      sink.write(batch);
      store.save(Events.checkpoint("bench", pos));
    }
    sink.close();
  }

  /** A hand-written writer: the same rows as Iceberg records into a data file (plus an equality delete file for changes). */
  private static void plain(Path dir, int rows, boolean changes) throws Exception {
    Lake lake = new Lake(dir);
    IcebergSink holder = lake.sink("plain", Map.of()); // only for its catalog
    Catalog catalog = holder.catalog();
    ((SupportsNamespaces) catalog).createNamespace(Namespace.of("bench"));
    Schema schema = new Schema(List.of(Types.NestedField.required(1, "id", Types.LongType.get()),
        Types.NestedField.required(2, "version", Types.LongType.get()),
        Types.NestedField.optional(3, "amount", Types.DecimalType.of(12, 2)),
        Types.NestedField.optional(4, "at", Types.TimestampType.withoutZone()),
        Types.NestedField.optional(5, "payload", Types.StringType.get())), java.util.Set.of(1));
    Table table = catalog.buildTable(TableIdentifier.of("bench", "narrow"), schema)
        .withPartitionSpec(PartitionSpec.unpartitioned())
        .withProperties(Map.of(TableProperties.FORMAT_VERSION, "2")).create();
    write(table, rows, 1, false);
    if (changes) {
      write(table, rows, 2, true);
    }
    holder.close();
  }

  private static void write(Table table, int rows, long version, boolean upsert) throws Exception {
    Schema schema = table.schema();
    int[] eq = {schema.findField("id").fieldId()};
    Schema keySchema = schema.select("id");
    GenericAppenderFactory factory = new GenericAppenderFactory(table, schema, table.spec(), table.properties(), eq,
        keySchema, null);
    OutputFileFactory files = OutputFileFactory.builderFor(table, 1, 1).format(FileFormat.PARQUET)
        .operationId(UUID.randomUUID().toString()).build();
    DataWriter<org.apache.iceberg.data.Record> data = factory.newDataWriter(files.newOutputFile(), FileFormat.PARQUET, null);
    var deletes = upsert ? factory.newEqDeleteWriter(files.newOutputFile(), FileFormat.PARQUET, null) : null;
    for (long id = 0; id < rows; id++) {
      Row r = row(id, version);
      GenericRecord rec = GenericRecord.create(schema);
      rec.set(0, r.get(0));
      rec.set(1, r.get(1));
      rec.set(2, r.get(2));
      rec.set(3, r.get(3));
      rec.set(4, r.get(4));
      if (deletes != null) {
        GenericRecord key = GenericRecord.create(keySchema);
        key.set(0, id);
        deletes.write(key);
      }
      data.write(rec);
    }
    data.close();
    DataFile file = data.toDataFile();
    if (deletes != null) {
      deletes.close();
      table.newRowDelta().addRows(file).addDeletes(deletes.toDeleteFile()).commit();
    } else {
      AppendFiles append = table.newAppend();
      append.appendFile(file);
      append.commit();
    }
  }

  private static void resetPeaks() {
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        pool.resetPeakUsage();
      }
    }
  }

  /** The sum of the heap pools' peaks since the last reset: an upper bound on the heap the run held. */
  private static long peakHeap() {
    long sum = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        sum += pool.getPeakUsage().getUsed();
      }
    }
    return sum;
  }
}
