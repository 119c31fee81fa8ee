package dev.sluice.bench;

import dev.sluice.bench.Bench.Result;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;

/** A horizontal bar chart of the median rows/s of every workload and runner, drawn headless into a PNG. */
final class Plot {
  private Plot() {}

  private static Color colorOf(String runner) {
    if (runner.startsWith("Sluice")) {
      return new Color(0x1f77b4);
    }
    if (runner.startsWith("JDBC") || runner.startsWith("hand-written")) {
      return new Color(0x7f7f7f);
    }
    return new Color(0xd62728);
  }

  static void write(List<Result> results, Path file) throws IOException {
    System.setProperty("java.awt.headless", "true");
    Map<String, Map<String, List<Double>>> rates = new LinkedHashMap<>();
    for (Result r : results) {
      double v = r.get("rowsPerSec");
      if (!Double.isNaN(v) && !r.workload().startsWith("latency")) {
        rates.computeIfAbsent(r.workload(), w -> new LinkedHashMap<>())
            .computeIfAbsent(r.runner(), x -> new ArrayList<>()).add(v);
      }
    }
    List<String[]> bars = new ArrayList<>();
    List<Double> values = new ArrayList<>();
    double max = 1;
    for (var w : rates.entrySet()) {
      bars.add(new String[] {w.getKey(), null});
      values.add(Double.NaN);
      for (var r : w.getValue().entrySet()) {
        double[] v = r.getValue().stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double median = v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
        bars.add(new String[] {w.getKey(), r.getKey()});
        values.add(median);
        max = Math.max(max, median);
      }
    }
    int rowHeight = 22;
    int left = 230;
    int right = 110;
    int top = 50;
    int width = 1000;
    int height = top + bars.size() * rowHeight + 40;
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, width, height);
    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
    g.drawString("Median rows/s (events/s for streaming): Sluice, raw JDBC floor, Debezium embedded", 12, 26);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    FontMetrics fm = g.getFontMetrics();
    int plotWidth = width - left - right;
    // Grid lines at round numbers.
    double step = Math.pow(10, Math.floor(Math.log10(max)));
    if (max / step < 3) {
      step /= 2;
    }
    g.setStroke(new BasicStroke(1));
    for (double x = 0; x <= max; x += step) {
      int px = left + (int) (x / max * plotWidth);
      g.setColor(new Color(0xe0e0e0));
      g.drawLine(px, top - 6, px, height - 32);
      g.setColor(Color.DARK_GRAY);
      String label = x >= 1e6 ? String.format(Locale.ROOT, "%.1fM", x / 1e6) : String.format(Locale.ROOT, "%.0fk", x / 1e3);
      g.drawString(label, px - fm.stringWidth(label) / 2, height - 16);
    }
    int y = top;
    for (int i = 0; i < bars.size(); i++) {
      String[] bar = bars.get(i);
      if (bar[1] == null) {
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 12));
        g.drawString(bar[0], 12, y + 15);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
      } else {
        double v = values.get(i);
        g.setColor(Color.BLACK);
        g.drawString(bar[1], left - 8 - fm.stringWidth(bar[1]), y + 15);
        g.setColor(colorOf(bar[1]));
        int w = (int) Math.max(1, v / max * plotWidth);
        g.fillRect(left, y + 3, w, rowHeight - 6);
        g.setColor(Color.BLACK);
        g.drawString(String.format(Locale.ROOT, "%,.0f", v), left + w + 6, y + 15);
      }
      y += rowHeight;
    }
    g.dispose();
    Files.createDirectories(file.toAbsolutePath().getParent());
    ImageIO.write(img, "png", file.toFile());
  }
}
