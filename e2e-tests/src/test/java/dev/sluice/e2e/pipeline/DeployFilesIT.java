package dev.sluice.e2e.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The container and service files the distribution ships agree with it. No Docker engine or
 * systemd runs the tests here, so this checks what can be checked without them: every path the
 * Dockerfile copies exists in the distribution, and the command each file starts is one the
 * distribution's {@code bin/sluice} accepts, with the options it passes.
 */
class DeployFilesIT {
  private static Path home() throws Exception {
    return Distribution.bin().getParent().getParent();
  }

  @Test
  void theDockerfileCopiesWhatTheDistributionHoldsAndRunsAServeItAccepts() throws Exception {
    Path home = home();
    Path dockerfile = home.resolve("container/Dockerfile");
    assertThat(dockerfile).exists();
    List<String> lines = Files.readAllLines(dockerfile);
    List<String> copied = new ArrayList<>();
    for (String line : lines) {
      if (line.startsWith("COPY ")) {
        String[] parts = line.substring(5).trim().split("\\s+");
        copied.addAll(Arrays.asList(parts).subList(0, parts.length - 1));
      }
    }
    assertThat(copied).contains("bin", "lib");
    for (String source : copied) {
      assertThat(home.resolve(source)).as("COPY %s", source).exists();
    }
    assertThat(lines).contains("ENTRYPOINT [\"/opt/sluice/bin/sluice\"]");
    String cmd = lines.stream().filter(l -> l.startsWith("CMD ")).findFirst().orElseThrow();
    List<String> args = new ArrayList<>();
    Matcher m = Pattern.compile("\"([^\"]*)\"").matcher(cmd);
    while (m.find()) {
      args.add(m.group(1));
    }
    assertAccepted(args);
  }

  @Test
  void theServiceUnitRunsAServeItAcceptsFromWhereTheDistributionIsInstalled() throws Exception {
    Path home = home();
    Path unit = home.resolve("systemd/sluice.service");
    assertThat(unit).exists();
    assertThat(home.resolve("systemd/sluice.env.example")).exists();
    String exec = Files.readAllLines(unit).stream().filter(l -> l.startsWith("ExecStart=")).findFirst().orElseThrow();
    List<String> words = List.of(exec.substring("ExecStart=".length()).trim().split("\\s+"));
    assertThat(words.get(0)).isEqualTo("/opt/sluice/bin/sluice");
    assertAccepted(words.subList(1, words.size()));
    assertThat(Files.readString(unit)).contains("KillSignal=SIGTERM", "User=sluice", "WorkingDirectory=/var/lib/sluice");
  }

  /** Runs bin/sluice with these arguments and --help: picocli refuses an unknown option or subcommand. */
  private static void assertAccepted(List<String> args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(home().resolve("bin/sluice").toString());
    command.addAll(args);
    command.add("--help");
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("%s%n%s", command, out).isZero();
    assertThat(out).as(out).contains("--pipelines");
  }
}
