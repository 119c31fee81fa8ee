package dev.sluice.source.postgres;

import com.zaxxer.hikari.HikariDataSource;
import dev.sluice.core.event.Key;
import dev.sluice.core.event.Position;
import dev.sluice.core.event.Row;
import dev.sluice.core.event.TableId;
import dev.sluice.core.event.TableSchema;
import dev.sluice.core.source.ChangeLog;
import dev.sluice.core.source.KeyRange;
import dev.sluice.core.source.KeySpace;
import dev.sluice.core.source.Source;
import dev.sluice.source.postgres.debezium.PgLog;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A PostgreSQL database as a Sluice source: chunks read over a HikariCP pool, the WAL read by
 * Debezium's PostgreSQL connector ({@link PgLog}) from a slot this source creates when missing,
 * watermarks from {@link Watermarks}. Construction runs the preflight checks, describes the captured
 * tables and prepares slot and publication, so a bad setting fails before anything runs.
 */
public final class PostgresSource implements Source {
  private static final AtomicInteger INSTANCES = new AtomicInteger();

  private final PostgresConfig config;
  private final String name;
  private final HikariDataSource pool;
  private final Map<TableId, TableInfo> tables = new LinkedHashMap<>();
  private final Map<TableId, Comparator<Key>> orders = new LinkedHashMap<>();
  private final Catalog catalog;
  private final boolean slotCreated;
  private final ChunkQueries chunks;
  private final Watermarks watermarks;

  public PostgresSource(PostgresConfig config) {
    this.config = config;
    this.name = "postgres-" + INSTANCES.incrementAndGet();
    this.pool = Connections.pool(config, name);
    this.catalog = new Catalog(pool, config);
    try {
      catalog.preflight();
      for (TableInfo t : catalog.describe()) {
        tables.put(t.schema().id(), t);
        orders.put(t.schema().id(), KeyOrder.of(t));
      }
      if (config.startupMode().equals("committed-offset")) {
        catalog.committedOffset(); // the slot must exist: refuse before ensureSlot would create it
      }
      catalog.ensurePublication(new ArrayList<>(tables.values()));
      this.slotCreated = catalog.ensureSlot();
    } catch (RuntimeException e) {
      pool.close();
      throw e;
    }
    this.chunks = new ChunkQueries(pool, tables, config);
    this.watermarks = new Watermarks(pool, config.connectTimeout());
  }

  public PostgresConfig config() {
    return config;
  }

  @Override
  public List<TableSchema> tables() {
    return tables.values().stream().map(TableInfo::schema).toList();
  }

  @Override
  public KeySpace keySpace(TableSchema table) {
    return chunks.keySpace(table);
  }

  @Override
  public Key chunkBoundary(TableSchema table, Key after, long rows) {
    return chunks.chunkBoundary(table, after, rows);
  }

  @Override
  public void readChunk(TableSchema table, KeyRange range, Predicate<Row> consumer) {
    chunks.readChunk(table, range, consumer);
  }

  @Override
  public Comparator<Key> keyOrder(TableSchema table) {
    return orders.get(table.id());
  }

  @Override
  public Position lowWatermark() {
    return watermarks.low();
  }

  @Override
  public Position highWatermark() {
    return watermarks.high();
  }

  /** {@code scan.startup.mode committed-offset}: just after what the replication slot has confirmed. */
  @Override
  public Position startOffset() {
    if (!config.startupMode().equals("committed-offset")) {
      return Source.super.startOffset();
    }
    return catalog.committedOffset();
  }

  @Override
  public ChangeLog openLog(Position from, Map<String, String> state) {
    if (!state.isEmpty()) {
      catalog.requireResumable((Lsn) from, slotCreated);
    }
    return PgLog.open(name, config, Map.copyOf(tables), (Lsn) from, state);
  }

  @Override
  public int comparePositions(Position a, Position b) {
    return Lsn.compare((Lsn) a, (Lsn) b);
  }

  @Override
  public Position decodePosition(String encoded) {
    return Lsn.decode(encoded);
  }

  @Override
  public void close() {
    pool.close();
  }

  @Override
  public String toString() {
    return "PostgresSource[" + name + " " + config + "]";
  }
}
