package dev.sluice.testsupport;

import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * A data source without a server, for unit tests of the SQL a source writes: it keeps the text of
 * every statement prepared on its connections, and running one fails with an {@link SQLException}
 * (the code under test then stops at its first statement). Settings, bindings and closing do nothing.
 */
public final class StatementRecorder {
  private final List<String> statements = new ArrayList<>();

  public DataSource dataSource() {
    return proxy(DataSource.class, (name, args) -> name.equals("getConnection") ? connection() : null);
  }

  /**
   * The one statement {@code call} prepares before it fails on running it; an {@link AssertionError}
   * when it prepares none or several, or does not fail.
   */
  public String only(Runnable call) {
    statements.clear();
    try {
      call.run();
      throw new AssertionError("the call did not fail at a statement; recorded " + statements);
    } catch (RuntimeException expected) {
      if (statements.size() != 1) {
        throw new AssertionError("expected one statement, recorded " + statements, expected);
      }
      return statements.get(0);
    }
  }

  private Connection connection() {
    return proxy(Connection.class, (name, args) -> {
      if (name.equals("prepareStatement")) {
        statements.add((String) args[0]);
        return proxy(PreparedStatement.class, (n, a) -> {
          if (n.startsWith("execute")) {
            throw new SQLException("not run: the statement is only recorded");
          }
          return null;
        });
      }
      return null;
    });
  }

  private interface Call {
    Object answer(String method, Object[] args) throws SQLException;
  }

  private static <T> T proxy(Class<T> type, Call call) {
    return type.cast(Proxy.newProxyInstance(StatementRecorder.class.getClassLoader(), new Class<?>[] {type},
        (self, method, args) -> {
          if (method.getDeclaringClass() == Object.class) {
            return switch (method.getName()) {
              case "hashCode" -> System.identityHashCode(self);
              case "equals" -> self == args[0];
              default -> type.getSimpleName() + " recorder";
            };
          }
          Object answer = call.answer(method.getName(), args);
          // Primitive results (booleans, counts) get their zero; the proxy may not return null for them.
          Class<?> r = method.getReturnType();
          if (answer != null || !r.isPrimitive() || r == void.class) {
            return answer;
          }
          return r == boolean.class ? (Object) false : r == long.class ? (Object) 0L : (Object) 0;
        }));
  }
}
