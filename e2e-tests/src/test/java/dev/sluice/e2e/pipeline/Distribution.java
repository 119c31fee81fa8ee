package dev.sluice.e2e.pipeline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** The packaged distribution the deploy module built ({@code deploy/target/sluice-VERSION/...}). */
final class Distribution {
  private Distribution() {}

  /** Its {@code bin/sluice} launcher. */
  static Path bin() throws IOException {
    Path target = Path.of("..", "deploy", "target").toAbsolutePath().normalize();
    try (Stream<Path> found = Files.walk(target, 5)) {
      return found.filter(p -> p.endsWith(Path.of("bin", "sluice"))).findFirst()
          .orElseThrow(() -> new AssertionError("no distribution under " + target + "; build it with ./mvnw package"));
    }
  }
}
