package dev.sluice.e2e.pipeline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;

/**
 * The real {@code sluice} command in its own JVM (the main class on this test's class path, which
 * holds every module the distribution ships), so tests can stop it the way an operator does:
 * SIGTERM for a clean stop, SIGKILL for a crash.
 */
final class SluiceProcess implements AutoCloseable {
  private final Process process;
  private final Path log;

  private SluiceProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  static SluiceProcess start(Path workDir, java.util.Map<String, String> env, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx512m");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add("dev.sluice.cli.Sluice");
    command.addAll(List.of(args));
    Path log = Files.createTempFile(workDir, "sluice-", ".log");
    ProcessBuilder b = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile());
    b.environment().putAll(env);
    Process p = b.start();
    return new SluiceProcess(p, log);
  }

  /** SIGTERM: the command drains, flushes, checkpoints and exits. Returns its exit code. */
  int terminate() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      throw new AssertionError("sluice did not exit within 60 s of SIGTERM; output:\n" + output());
    }
    return process.exitValue();
  }

  /** SIGKILL: a crash, nothing flushed. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  boolean isAlive() {
    return process.isAlive();
  }

  int waitFor(long seconds) throws InterruptedException {
    if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
      throw new AssertionError("sluice still running after " + seconds + " s; output:\n" + output());
    }
    return process.exitValue();
  }

  /**
   * Waits until the output shows {@code text} (up to 60 s), e.g. that the pipeline runs, so that a
   * signal sent next reaches a command that has installed its handlers, however slowly the JVM
   * started on a loaded machine.
   */
  void awaitOutput(String text) {
    Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
        .until(() -> output().contains(text) || !process.isAlive());
    if (!output().contains(text)) {
      throw new AssertionError("sluice ended before printing '" + text + "'; output:\n" + output());
    }
  }

  /** The REST port a {@code serve} process prints once its API is up (waits up to 60 s for it). */
  int restPort() {
    Pattern announced = Pattern.compile("REST API on [0-9.]+:(\\d+)");
    Awaitility.await().atMost(Duration.ofSeconds(60))
        .until(() -> announced.matcher(output()).find() || !process.isAlive());
    Matcher m = announced.matcher(output());
    if (!m.find()) {
      throw new AssertionError("serve ended without opening its REST API; output:\n" + output());
    }
    return Integer.parseInt(m.group(1));
  }

  String output() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(output unreadable: " + e + ")";
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      kill();
    }
  }
}
