package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** What {@code sluice lake} refuses before it touches anything (its runs are in e2e-tests' MySqlToIcebergIT). */
class LakeCommandTest {
  @TempDir Path dir;

  private record Result(int code, String out, String err) {}

  private static Result execute(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = new CommandLine(new Sluice());
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int code = cl.execute(args);
    return new Result(code, out.toString(), err.toString());
  }

  @Test
  void anUnsupportedDatabaseIsRefusedByNameWithExitCode2() {
    Result r = execute("lake", "jdbc:oracle://h:1521/orcl?user=u&password=tiger", dir.resolve("lake").toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("sluice lake: unsupported database 'oracle'").doesNotContain("tiger");
    assertThat(dir.resolve("lake")).doesNotExist();
  }

  @Test
  void aUrlWithoutDatabaseOrUserIsRefusedSayingWhatIsMissing() {
    Result noDb = execute("lake", "jdbc:mysql://u:pw1234@127.0.0.1:3306", dir.resolve("lake").toString());
    assertThat(noDb.code()).isEqualTo(2);
    assertThat(noDb.err()).contains("names no database").doesNotContain("pw1234");

    Result noUser = execute("lake", "jdbc:postgresql://127.0.0.1/app", dir.resolve("lake").toString());
    assertThat(noUser.code()).isEqualTo(2);
    assertThat(noUser.err()).contains("no user to connect as").contains("--user");
  }

  @Test
  void helpDescribesTheArgumentsAndOptions() {
    Result r = execute("lake", "--help");
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("SOURCE-JDBC-URL").contains("WAREHOUSE-DIR").contains("--password-env")
        .contains("--commit-interval").contains("--no-run");
  }
}
