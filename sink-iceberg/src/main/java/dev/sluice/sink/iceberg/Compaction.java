package dev.sluice.sink.iceberg;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.RewriteFiles;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.GenericAppenderFactory;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.io.OutputFileFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small, bounded compaction done without an engine: an unpartitioned table of at most
 * {@link #MAX_BYTES} whose data is spread over small files or burdened with delete files is read
 * back through Iceberg's generic reader (deletes applied, row by row, so memory stays bounded) and
 * written again as target-size files, replacing every data and delete file in one commit. Larger
 * or partitioned tables are left to an engine's rewrite action (Spark's {@code rewrite_data_files}).
 */
final class Compaction {
  private static final Logger LOG = LoggerFactory.getLogger(Compaction.class);
  /** The largest table compacted here. */
  static final long MAX_BYTES = 1L << 30;
  /** Small files (under half the target size) a table has before it is worth compacting. */
  static final int MIN_SMALL_FILES = 4;

  private final Table table;
  private final long targetFileSize;
  private final String pipelineId;

  Compaction(Table table, long targetFileSize, String pipelineId) {
    this.table = table;
    this.targetFileSize = targetFileSize;
    this.pipelineId = pipelineId;
  }

  /** Compacts when worth it and small enough; returns whether it did. */
  boolean run() {
    table.refresh();
    Snapshot current = table.currentSnapshot();
    if (current == null || !table.spec().isUnpartitioned()) {
      return false;
    }
    Set<DataFile> data = new HashSet<>();
    Set<DeleteFile> deletes = new HashSet<>();
    long bytes = 0;
    int small = 0;
    try (CloseableIterable<FileScanTask> tasks = table.newScan().useSnapshot(current.snapshotId()).planFiles()) {
      for (FileScanTask task : tasks) {
        if (data.add(task.file())) {
          bytes += task.file().fileSizeInBytes();
          if (task.file().fileSizeInBytes() < targetFileSize / 2) {
            small++;
          }
        }
        deletes.addAll(task.deletes());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (bytes > MAX_BYTES || small < MIN_SMALL_FILES && deletes.isEmpty() || data.isEmpty()) {
      return false;
    }
    List<DataFile> written = new ArrayList<>();
    GenericAppenderFactory factory = new GenericAppenderFactory(table, table.schema(), table.spec(),
        table.properties(), null, null, null);
    OutputFileFactory files = OutputFileFactory.builderFor(table, 2, System.currentTimeMillis())
        .format(FileFormat.PARQUET).operationId(UUID.randomUUID().toString()).build();
    DataWriter<org.apache.iceberg.data.Record> w = null;
    long rows = 0;
    try (CloseableIterable<org.apache.iceberg.data.Record> records =
        IcebergGenerics.read(table).useSnapshot(current.snapshotId()).build()) {
      for (org.apache.iceberg.data.Record r : records) {
        if (w != null && ++rows % 1024 == 0 && w.length() >= targetFileSize) {
          w.close();
          written.add(w.toDataFile());
          w = null;
        }
        if (w == null) {
          w = factory.newDataWriter(files.newOutputFile(), FileFormat.PARQUET, null);
        }
        w.write(r);
      }
      if (w != null) {
        w.close();
        written.add(w.toDataFile());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    RewriteFiles rewrite = table.newRewrite().validateFromSnapshot(current.snapshotId());
    data.forEach(rewrite::deleteFile);
    deletes.forEach(rewrite::deleteFile);
    written.forEach(rewrite::addFile);
    rewrite.set(IcebergSink.PIPELINE, pipelineId).commit();
    LOG.info("pipeline={} table={}: compacted {} data files and {} delete files into {} files", pipelineId,
        table.name(), data.size(), deletes.size(), written.size());
    return true;
  }
}
