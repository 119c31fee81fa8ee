package dev.sluice.cli.demo;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The shop's live traffic while the demo runs: new orders, orders changing status, cancelled orders
 * deleted, price and customer updates, each its own small transaction, at a steady rate.
 */
final class ShopWriter implements Runnable {
  private final Supplier<Connection> connect;
  private final int perSecond;
  private final Random random = new Random();
  private final AtomicLong changes = new AtomicLong();
  private final AtomicReference<Exception> failure = new AtomicReference<>();
  private volatile boolean stopping;
  private Thread thread;

  ShopWriter(Supplier<Connection> connect, int perSecond) {
    this.connect = connect;
    this.perSecond = perSecond;
  }

  ShopWriter start() {
    thread = new Thread(this, "demo-shop-writer");
    thread.setDaemon(true);
    thread.start();
    return this;
  }

  /** Stops writing and waits for the transaction in flight. */
  void stop() throws InterruptedException {
    stopping = true;
    if (thread != null) {
      thread.join(10_000);
    }
  }

  long changes() {
    return changes.get();
  }

  /** Why the writer stopped early, if it did. */
  Exception failure() {
    return failure.get();
  }

  @Override
  public void run() {
    try (Connection c = connect.get();
        PreparedStatement insert = c.prepareStatement("INSERT INTO orders (id, customer_id, product_id, quantity, amount,"
            + " status, ordered_at) VALUES (?, ?, ?, ?, (SELECT price FROM products WHERE id = ?) * ?, 'new', now())");
        PreparedStatement advance = c.prepareStatement(
            "UPDATE orders SET status = ?, updated_at = now() WHERE id = ?");
        PreparedStatement cancel = c.prepareStatement("DELETE FROM orders WHERE id = ?");
        PreparedStatement price = c.prepareStatement(
            "UPDATE products SET price = round(price * ?, 2), stock = stock + ? WHERE id = ?");
        PreparedStatement vip = c.prepareStatement("UPDATE customers SET vip = NOT vip, email = ? WHERE id = ?")) {
      long nextOrder = maxOrderId(c) + 1;
      long started = System.nanoTime();
      long done = 0;
      while (!stopping) {
        int dice = random.nextInt(100);
        if (dice < 40) {
          int quantity = 1 + random.nextInt(5);
          insert.setLong(1, nextOrder++);
          insert.setLong(2, 1 + random.nextInt(Shop.CUSTOMER_ROWS));
          long product = 1 + random.nextInt(Shop.PRODUCT_ROWS);
          insert.setLong(3, product);
          insert.setInt(4, quantity);
          insert.setLong(5, product);
          insert.setInt(6, quantity);
          insert.executeUpdate();
        } else if (dice < 75) {
          advance.setString(1, Shop.STATUSES.get(random.nextInt(Shop.STATUSES.size())));
          advance.setLong(2, 1 + (long) random.nextInt((int) Math.max(1, nextOrder - 1)));
          advance.executeUpdate();
        } else if (dice < 85) {
          cancel.setLong(1, 1 + (long) random.nextInt((int) Math.max(1, nextOrder - 1)));
          cancel.executeUpdate();
        } else if (dice < 95) {
          price.setBigDecimal(1, java.math.BigDecimal.valueOf(90 + random.nextInt(21), 2));
          price.setInt(2, random.nextInt(11) - 5);
          price.setLong(3, 1 + random.nextInt(Shop.PRODUCT_ROWS));
          price.executeUpdate();
        } else {
          long customer = 1 + random.nextInt(Shop.CUSTOMER_ROWS);
          vip.setString(1, "customer" + customer + "+" + random.nextInt(1000) + "@example.com");
          vip.setLong(2, customer);
          vip.executeUpdate();
        }
        changes.incrementAndGet();
        done++;
        long due = started + done * 1_000_000_000L / perSecond;
        long wait = due - System.nanoTime();
        if (wait > 0) {
          Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
      }
    } catch (SQLException | RuntimeException e) {
      if (!stopping) {
        failure.set(e);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static long maxOrderId(Connection c) throws SQLException {
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT coalesce(max(id), 0) FROM orders")) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
