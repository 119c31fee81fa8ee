package dev.sluice.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The recent log lines of each pipeline, for the REST API: standard error (where the log goes) is
 * copied through, and every line tagged {@code pipeline=<id>} is kept in that pipeline's ring.
 * Bounded: {@value #LINES} lines of at most {@value #LINE_CHARS} characters for at most
 * {@value #PIPELINES} pipelines.
 */
final class LogTail {
  static final int LINES = 200;
  static final int LINE_CHARS = 2_000;
  static final int PIPELINES = 256;
  private static final Pattern TAG = Pattern.compile("\\bpipeline=([A-Za-z0-9_-]+)");
  private static LogTail installed;

  private final Map<String, Deque<String>> lines = new LinkedHashMap<>();

  /** Copies standard error into the returned tail from now on; once per process. */
  static synchronized LogTail install() {
    if (installed == null) {
      installed = new LogTail();
      System.setErr(new PrintStream(new Tee(System.err, installed), true, StandardCharsets.UTF_8));
    }
    return installed;
  }

  synchronized void add(String line) {
    Matcher m = TAG.matcher(line);
    if (!m.find()) {
      return;
    }
    Deque<String> ring = lines.get(m.group(1));
    if (ring == null) {
      if (lines.size() >= PIPELINES) {
        return;
      }
      ring = new ArrayDeque<>();
      lines.put(m.group(1), ring);
    }
    if (ring.size() == LINES) {
      ring.removeFirst();
    }
    ring.addLast(line.length() > LINE_CHARS ? line.substring(0, LINE_CHARS) + " …" : line);
  }

  /** The last {@code max} lines of one pipeline, oldest first. */
  synchronized List<String> recent(String pipeline, int max) {
    Deque<String> ring = lines.get(pipeline);
    if (ring == null) {
      return List.of();
    }
    List<String> all = new ArrayList<>(ring);
    return all.subList(Math.max(0, all.size() - max), all.size());
  }

  /** Writes through to the original stream and hands every complete line to the tail. */
  private static final class Tee extends OutputStream {
    private final PrintStream out;
    private final LogTail tail;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    Tee(PrintStream out, LogTail tail) {
      this.out = out;
      this.tail = tail;
    }

    @Override
    public synchronized void write(int b) {
      out.write(b);
      take(b);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
      out.write(b, off, len);
      for (int i = off; i < off + len; i++) {
        take(b[i]);
      }
    }

    private void take(int b) {
      if (b == '\n') {
        tail.add(line.toString(StandardCharsets.UTF_8).stripTrailing());
        line.reset();
      } else if (line.size() < LINE_CHARS * 4) { // the rest of an endless line is dropped
        line.write(b);
      }
    }

    @Override
    public void flush() throws IOException {
      out.flush();
    }
  }
}
