package dev.sluice.e2e.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The packaged distribution runs with nothing but a JRE: its bin/sluice finds every connector. */
class DistributionIT {

  @Test
  void binSluiceListsEveryConnectorsOptions() throws Exception {
    Path bin = Distribution.bin();
    assertThat(Files.exists(bin.getParent().getParent().resolve("LICENSE"))).isTrue();
    assertThat(Files.exists(bin.getParent().getParent().resolve("examples/mysql-to-kafka.yaml"))).isTrue();
    assertThat(Files.exists(bin.getParent().getParent().resolve("examples/mysql-to-iceberg.yaml"))).isTrue();
    for (String type : new String[] {"mysql", "mongodb", "kafka", "jdbc", "iceberg"}) {
      Process p = new ProcessBuilder(bin.toString(), "describe", type).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes());
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).as(out).isZero();
      assertThat(out).as(type).contains(type + ":");
    }
  }
}
