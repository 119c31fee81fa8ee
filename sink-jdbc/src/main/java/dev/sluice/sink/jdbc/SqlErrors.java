package dev.sluice.sink.jdbc;

import dev.sluice.core.SluiceException;
import dev.sluice.core.SluiceException.ConfigurationException;
import dev.sluice.core.SluiceException.ConnectionException;
import dev.sluice.core.SluiceException.DataException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.util.Set;

/**
 * Turns a driver's SQLException into Sluice's exception kinds, from the SQLState and, for MySQL,
 * the vendor code: a lost connection is retriable, a refused privilege is the user's to fix, a
 * value the column cannot hold is a data error.
 */
final class SqlErrors {
  /** MySQL/MariaDB codes of refused privileges (their SQLState 42000 is shared with syntax errors). */
  private static final Set<Integer> MYSQL_DENIED = Set.of(1044, 1045, 1142, 1143, 1227, 1370);
  /**
   * SQLite's driver sets no SQLState, only the primary result code: 3 PERM, 8 READONLY, 23 AUTH
   * (refused); 5 BUSY, 6 LOCKED (another writer); 18 TOOBIG, 19 CONSTRAINT, 20 MISMATCH (the
   * value); 10 IOERR, 14 CANTOPEN (the file).
   */
  private static final Set<Integer> SQLITE_DENIED = Set.of(3, 8, 23);
  private static final Set<Integer> SQLITE_BUSY = Set.of(5, 6);
  private static final Set<Integer> SQLITE_DATA = Set.of(18, 19, 20);
  private static final Set<Integer> SQLITE_FILE = Set.of(10, 14);

  private SqlErrors() {}

  /** Class 08 (connection), and 57P0x (PostgreSQL: server shut down, or the backend terminated). */
  static boolean isConnection(SQLException e) {
    String state = e.getSQLState();
    return e instanceof SQLTransientConnectionException || e instanceof SQLRecoverableException
        || e instanceof SQLNonTransientConnectionException
        || state != null && (state.startsWith("08") || state.startsWith("57P0"))
        || sqlite(e, SQLITE_FILE);
  }

  private static boolean sqlite(SQLException e, Set<Integer> codes) {
    return e.getClass().getName().startsWith("org.sqlite.") && codes.contains(e.getErrorCode());
  }

  /** A deadlock or serialization failure (40001, 40P01; MySQL 1205, 1213): the same work may pass later. */
  static boolean isTransientConflict(SQLException e) {
    String state = e.getSQLState();
    return "40001".equals(state) || "40P01".equals(state) || e.getErrorCode() == 1205 || e.getErrorCode() == 1213
        || sqlite(e, SQLITE_BUSY);
  }

  static boolean isPermission(SQLException e) {
    return "42501".equals(e.getSQLState()) || MYSQL_DENIED.contains(e.getErrorCode()) || sqlite(e, SQLITE_DENIED);
  }

  /** A value the target refused: class 22 (data exception) or 23 (a NULL in a NOT NULL column). */
  static boolean isData(SQLException e) {
    String state = e.getSQLState();
    return state != null && (state.startsWith("22") || state.startsWith("23"))
        || e.getErrorCode() == 1366 || e.getErrorCode() == 1292 || sqlite(e, SQLITE_DATA);
  }

  /**
   * The Sluice exception for a failure while doing {@code what} (a phrase naming the table).
   * Data errors are handled by the writer, which can name the row; here they carry no key.
   */
  static SluiceException translate(SQLException e, String what) {
    return translate(e, what, null);
  }

  /**
   * As {@link #translate(SQLException, String)}, naming {@code privilege} (what to grant the sink's
   * user for {@code what}; {@code null}: not known) when the failure is a refused privilege.
   */
  static SluiceException translate(SQLException e, String what, String privilege) {
    String detail = describe(e);
    if (isConnection(e)) {
      return new ConnectionException("JDBC sink lost the target while " + what + ": " + detail
          + "; the pipeline resumes from its last checkpoint once the target is back", e);
    }
    if (isTransientConflict(e)) {
      return new ConnectionException("JDBC sink met a lock conflict while " + what + ": " + detail
          + "; retried from the last checkpoint", e);
    }
    if (isPermission(e)) {
      return new ConfigurationException("JDBC sink was refused a privilege while " + what + ": " + detail
          + "; grant the sink's user " + (privilege == null ? "that privilege" : privilege)
          + ", or create or alter the table beforehand", e);
    }
    if (isData(e)) {
      return new DataException("JDBC sink could not write while " + what + ": " + detail, e);
    }
    return new ConfigurationException("JDBC sink failed while " + what + ": " + detail, e);
  }

  static String describe(SQLException e) {
    return e.getMessage() + " [SQLState " + e.getSQLState() + ", code " + e.getErrorCode() + "]";
  }
}
