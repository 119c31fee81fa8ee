package dev.sluice.source.postgres;

import dev.sluice.testsupport.KeylessTableCheck;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code REPLICA IDENTITY FULL} table with neither a primary key nor a chunk key column, read
 * whole by one SELECT (in one read-only transaction) in at-least-once delivery while a writer
 * inserts, updates and deletes rows, then streamed: see {@link KeylessTableCheck}. The exactly-once
 * refusal is the engine's, tested in cdc-core and against MySQL.
 */
class KeylessTableIT {
  @TempDir Path dir;

  @Test
  void keylessTableReadWhileWrittenLosesNothing() throws Exception {
    try (Db db = new Db()) {
      db.sql("CREATE TABLE t_nokey (n bigint NOT NULL, v varchar(64))", "ALTER TABLE t_nokey REPLICA IDENTITY FULL",
          "INSERT INTO t_nokey SELECT g, 'v' || g FROM generate_series(1, 3000) g");
      try (PostgresSource source = db.source()) {
        KeylessTableCheck.readWhileWritten(source, db.table("t_nokey"), 3000, db::connect, dir);
      }
    }
  }
}
