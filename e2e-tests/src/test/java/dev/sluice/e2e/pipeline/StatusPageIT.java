package dev.sluice.e2e.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.testsupport.JdbcEndpoint;
import dev.sluice.testsupport.TestServers;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The status page of {@code sluice serve} in a real browser (headless Chromium driven by Selenium)
 * against a real MySQL-to-PostgreSQL pipeline and one with a wrong password: the token is asked for
 * and a wrong one refused; the overview lists both; a table's progress bar advances to 100 %; the
 * charts update without a reload; pause and resume change the phase; a table is added from the page;
 * the failing pipeline shows its error without the password. Leaves a screenshot in {@code target/status-page.png}; with
 * {@code -Dsluice.screenshot.update=true} it also replaces {@code docs/status-page.png}, the one the
 * README shows.
 */
class StatusPageIT {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final String WRONG_PASSWORD = "Wr0ngPagePassw0rd";
  private static final int ROWS = 20_000;

  @TempDir Path work;

  @Test
  void thePageShowsAndDrivesRealPipelines() throws Exception {
    Assumptions.assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
        "no browser: " + CHROMIUM + " and " + CHROMEDRIVER + " are missing (Debian packages chromium and "
            + "chromium-driver, which scripts/test-env.sh up installs); the status page's browser test is skipped");
    long seed = System.nanoTime();
    String db = "e2e_page_" + Long.toHexString(seed).substring(0, 8);
    String token = "page-token-" + Long.toHexString(seed);
    JdbcEndpoint mysql = TestServers.mysql();
    JdbcEndpoint pg = TestServers.postgres();
    try (Connection c = pg.connectAsAdmin(); Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + db);
    }
    Path dir = Files.createDirectories(work.resolve("pipelines"));
    int serverId = 6100 + (int) (seed & 0x3ff) * 2;
    pipeline(dir, "orders", mysql, mysql.adminPassword(), pg, db, serverId);
    pipeline(dir, "broken", mysql, WRONG_PASSWORD, pg, db, serverId + 1);
    // The browser starts while the database is filled and the daemon starts.
    CompletableFuture<WebDriver> starting = CompletableFuture.supplyAsync(this::browser);
    WebDriver browser = null;
    try (MySqlWorkload w = new MySqlWorkload(mysql, db, seed)) {
      w.create(0);
      try (Connection c = mysql.connectAsAdmin(); Statement s = c.createStatement()) {
        // One statement rather than batches: the rows are there in a fraction of a second.
        s.execute("SET SESSION cte_max_recursion_depth = " + ROWS);
        s.execute("INSERT INTO " + db + ".orders WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
            + "WHERE i < " + ROWS + ") SELECT i, CONCAT('order-', i), i % 100, i FROM n");
      }
      try (SluiceProcess serve = SluiceProcess.start(work, Map.of("SLUICE_API_TOKEN", token), "serve",
          "--pipelines", dir.toString(), "--port", "0")) {
        int port = serve.restPort();
        browser = starting.get(60, TimeUnit.SECONDS);
        Page page = new Page(browser);
        browser.get("http://127.0.0.1:" + port + "/");

        // No token yet, then a wrong one: refused, nothing shown.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
            assertThat(page.text("#notice")).contains("refused").contains("missing or wrong bearer token"));
        page.useToken("not-" + token);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
            assertThat(page.text("#connection")).isEqualTo("token refused"));
        assertThat(page.count("#pipelines tbody tr")).isZero();

        // The right token: the overview lists both pipelines, the broken one with its error but not its password.
        page.useToken(token);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
          assertThat(page.cell("broken", 1)).isIn("failed", "retrying");
          assertThat(page.cell("broken", 6)).containsIgnoringCase("access denied");
          assertThat(page.cell("orders", 2)).isEqualTo("mysql → jdbc");
          assertThat(page.cell("orders", 1)).isIn("starting", "snapshotting", "streaming");
        });
        assertThat(browser.getPageSource()).doesNotContain(WRONG_PASSWORD).doesNotContain(mysql.adminPassword());
        assertThat(page.text("#notice")).isEmpty();

        // One pipeline: the table's progress reaches 100 %, then streams.
        browser.get("http://127.0.0.1:" + port + "/#/pipelines/orders");
        String table = db + ".orders";
        List<Integer> first = page.watchProgress(table, Duration.ofSeconds(60), false);
        assertThat(first).last().isEqualTo(100);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(page.text("#detail-phase")).isEqualTo("streaming"));

        w.startWriting();
        // The charts are redrawn from the API while the page stays loaded.
        page.js("window.sluiceLoadedOnce = true");
        int ratePoints = page.chartPoints("chart-rate");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
          assertThat(page.chartPoints("chart-rate")).isGreaterThanOrEqualTo(ratePoints + 3);
          assertThat(page.chartPoints("chart-lag")).isPositive();
          assertThat(page.js("return document.getElementById('chart-lag').dataset.last")).isNotEqualTo("");
        });
        assertThat(page.js("return window.sluiceLoadedOnce")).isEqualTo(true);
        assertThat(page.text("#yaml")).contains("password: ******").contains("type: mysql")
            .doesNotContain(mysql.adminPassword());
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(page.text("#log")).contains("pipeline=orders"));

        // Re-snapshot the table from the page: its bar starts again and climbs back to 100 %.
        page.click("#tables tr[data-table='" + table + "'] button");
        page.confirm();
        List<Integer> again = page.watchProgress(table, Duration.ofSeconds(60), true);
        assertThat(page.text("#notice")).contains("re-snapshot " + table + " of orders: done");
        System.out.println("StatusPageIT: progress seen during the first snapshot " + first + ", the re-snapshot " + again);
        // Advancing: a step on the way to 100 % (the bar is redrawn once a second; 400 chunks read one
        // at a time last several seconds even on a fast, quiet machine).
        assertThat(again).as("progress seen during the re-snapshot").last().isEqualTo(100);
        assertThat(again.stream().filter(p -> p > 0 && p < 100).count()).as("steps between 0 and 100 %% in %s", again)
            .isGreaterThanOrEqualTo(1);
        screenshot(browser);

        // Pause and resume change the phase, in the detail and in the overview.
        page.click("#action-pause");
        page.confirm();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
          assertThat(page.text("#notice")).contains("pause orders: done; phase now paused");
          assertThat(page.text("#detail-phase")).isEqualTo("paused");
          assertThat(page.cell("orders", 1)).isEqualTo("paused");
        });
        page.click("#action-resume");
        page.confirm();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
          assertThat(page.text("#notice")).contains("resume orders: done");
          assertThat(page.text("#detail-phase")).isIn("snapshotting", "streaming");
        });

        // Add a table from the page: a wrong name is refused with the API's reason; a table the file's
        // pattern does not select is added, snapshotted and listed as added.
        try (Connection c = mysql.connectAsAdmin(); Statement s = c.createStatement()) {
          s.execute("CREATE TABLE " + db + ".page_added (id INT PRIMARY KEY, v VARCHAR(20))");
          s.execute("INSERT INTO " + db + ".page_added VALUES (1, 'p1'), (2, 'p2')");
        }
        page.addTable(db + ".page_none");
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(page.text("#notice"))
            .contains("add table " + db + ".page_none to orders failed").contains("the source has no table"));
        page.addTable(db + ".page_added");
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
          assertThat(page.text("#notice")).contains("add table " + db + ".page_added to orders: done, "
              + db + ".page_added is captured");
          assertThat(page.text("#added-tables")).contains(db + ".page_added");
          assertThat(page.text("#tables tr[data-table='" + db + ".page_added'] .bar")).isEqualTo("100 %");
        });

        // The failing pipeline's own view: its error, its masked file, never the password.
        browser.get("http://127.0.0.1:" + port + "/#/pipelines/broken");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
          assertThat(page.text("#detail-error")).containsIgnoringCase("access denied");
          assertThat(page.text("#yaml")).contains("password: ******");
        });
        assertThat(browser.getPageSource()).doesNotContain(WRONG_PASSWORD).doesNotContain(mysql.adminPassword());
        w.stopWriting();
        assertThat(serve.terminate()).isZero();
      }
    } finally {
      if (browser == null) {
        browser = starting.handle((b, e) -> b).get(60, TimeUnit.SECONDS);
      }
      if (browser != null) {
        browser.quit();
      }
      try (Connection c = pg.connectAsAdmin(); Statement s = c.createStatement()) {
        s.execute("DROP SCHEMA IF EXISTS " + db + " CASCADE");
      }
    }
  }

  private void pipeline(Path dir, String name, JdbcEndpoint mysql, String password, JdbcEndpoint pg, String db,
      int serverId) throws Exception {
    // Small chunks read one at a time, so the snapshot lasts long enough to watch its progress.
    new ServePipelineFile(mysql, mysql.adminUser(), password, db + "\\.orders", serverId, pg, db,
        work.resolve("checkpoints"))
        .pipeline("parallelism: 1")
        .sluice("snapshot.chunk.size: 50", "sink.batch.size: 50")
        .write(dir, name);
  }

  private WebDriver browser() {
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
        "--window-size=1280,1130", "--user-data-dir=" + work.resolve("chromium-profile"));
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
        .usingAnyFreePort().build();
    return new ChromeDriver(service, options);
  }

  private static void screenshot(WebDriver browser) throws Exception {
    File shot = ((org.openqa.selenium.TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
    Path repo = repoRoot();
    Files.copy(shot.toPath(), repo.resolve("e2e-tests/target/status-page.png"), StandardCopyOption.REPLACE_EXISTING);
    if (Boolean.getBoolean("sluice.screenshot.update")) {
      Files.createDirectories(repo.resolve("docs"));
      Files.copy(shot.toPath(), repo.resolve("docs/status-page.png"), StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static Path repoRoot() {
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !Files.exists(p.resolve("mvnw"))) {
      p = p.getParent();
    }
    return Optional.ofNullable(p).orElseThrow(() -> new AssertionError("no mvnw above " + Path.of("").toAbsolutePath()));
  }

  /** What the test reads and does on the page, through the same DOM a person sees. */
  private record Page(WebDriver browser) {
    Object js(String script) {
      return ((JavascriptExecutor) browser).executeScript(script);
    }

    String text(String css) {
      Object t = js("const e = document.querySelector(arguments[0]); return e && !e.hidden ? e.textContent : ''"
          .replace("arguments[0]", "'" + css.replace("'", "\\'") + "'"));
      return t == null ? "" : t.toString().strip();
    }

    long count(String css) {
      return ((Number) js("return document.querySelectorAll('" + css + "').length")).longValue();
    }

    /** The text of one cell of a pipeline's row in the overview ("" while the row is not there). */
    String cell(String pipeline, int column) {
      Object t = js("const r = document.querySelector(\"#pipelines tr[data-pipeline='" + pipeline + "']\");"
          + " return r ? r.cells[" + column + "].textContent : ''");
      return t == null ? "" : t.toString();
    }

    int chartPoints(String id) {
      Object n = js("return document.getElementById('" + id + "').dataset.points || '0'");
      return Integer.parseInt(n.toString());
    }

    void useToken(String token) {
      browser.findElement(By.id("token")).sendKeys(token);
      browser.findElement(By.id("token-use")).click();
    }

    void click(String css) {
      await().atMost(Duration.ofSeconds(10)).ignoreExceptions().untilAsserted(() -> browser.findElement(By.cssSelector(css)).click());
    }

    /** Types a table name into the "Add a table" form, submits it and confirms. */
    void addTable(String table) {
      browser.findElement(By.id("add-table-name")).clear();
      browser.findElement(By.id("add-table-name")).sendKeys(table);
      browser.findElement(By.id("add-table")).click();
      confirm();
    }

    /** Accepts the confirmation every action asks for. */
    void confirm() {
      await().atMost(Duration.ofSeconds(5)).until(() -> Boolean.TRUE.equals(js("return document.getElementById('confirm').open")));
      browser.findElement(By.id("confirm-ok")).click();
    }

    /**
     * The table's progress as the page shows it, every change seen until it shows 100 % (the
     * page polls every second; this looks five times as often).
     *
     * @param restarted a snapshot starts again: the 100 % still shown before it starts is skipped
     */
    List<Integer> watchProgress(String table, Duration atMost, boolean restarted) throws InterruptedException {
      List<Integer> seen = new ArrayList<>();
      long end = System.nanoTime() + atMost.toNanos();
      while (System.nanoTime() < end) {
        Object p = js("const b = document.querySelector(\"#tables tr[data-table='" + table + "'] .bar\");"
            + " return b ? b.dataset.percent : null");
        if (p != null) {
          int percent = Integer.parseInt(p.toString());
          if (restarted && seen.isEmpty() && percent == 100) {
            Thread.sleep(100);
            continue;
          }
          if (seen.isEmpty() || seen.get(seen.size() - 1) != percent) {
            seen.add(percent);
          }
          if (percent == 100) {
            return seen;
          }
        }
        Thread.sleep(200);
      }
      throw new AssertionError("progress of " + table + " did not reach 100 % within " + atMost + "; seen " + seen);
    }
  }
}
