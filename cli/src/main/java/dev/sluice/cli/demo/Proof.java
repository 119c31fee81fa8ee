package dev.sluice.cli.demo;

import dev.sluice.cli.demo.Shop.Table;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Source and target side by side, per table: row count, checksum, equal or not. */
final class Proof {
  private Proof() {}

  /** Prints the proof; returns whether every table is equal. */
  static boolean print(DemoPostgres pg, Copy copy, PrintWriter out) {
    Demo.say(out, "proof: row count and checksum of every row's values, PostgreSQL (source) vs " + copy.kind()
        + " (target)");
    out.printf("  %-10s %10s %-17s %10s %-17s %s%n", "table", "source", "checksum", "target", "checksum", "");
    boolean all = true;
    ExecutorService targetSide = Executors.newSingleThreadExecutor(r -> new Thread(r, "demo-proof-target"));
    try (Connection source = pg.connect(Shop.DATABASE)) {
      for (Table t : Shop.TABLES) {
        // Both sides at once: the proof takes as long as the slower one.
        Future<Checksum> d = targetSide.submit(() -> copy.checksum(t));
        Checksum s = Checksum.of(source, "public." + t.name(), t, Checksum.Side.POSTGRES);
        Checksum dt = d.get();
        boolean equal = s.equals(dt);
        all &= equal;
        out.printf("  %-10s %10d %-17s %10s %-17s %s%n", t.name(), s.rows(), s.hex(),
            dt == null ? "missing" : Long.toString(dt.rows()), dt == null ? "" : dt.hex(), equal ? "equal" : "NOT EQUAL");
        out.flush();
      }
    } catch (SQLException | ExecutionException e) {
      throw new DemoException("could not compute the proof: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DemoException("interrupted while computing the proof", e);
    } finally {
      targetSide.shutdownNow();
      copy.close();
    }
    Demo.say(out, all ? "proof: every table equal" : "proof: NOT EQUAL");
    out.flush();
    return all;
  }
}
