package dev.sluice.cli.demo;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The demo's sample shop: customers, products and orders in schema {@code public} of database
 * {@code shop}. The first load is deterministic (every value a function of the row number, made
 * by {@code generate_series} inside the server, so a few hundred thousand rows take seconds).
 */
final class Shop {
  static final String DATABASE = "shop";

  /** The kinds of value the proof compares; each is read the same way from both databases. */
  enum Kind { LONG, DECIMAL, TEXT, TIMESTAMPTZ, BOOLEAN }

  record Col(String name, Kind kind) {}

  record Table(String name, List<Col> columns, String ddl) {}

  static final Table CUSTOMERS = new Table("customers", List.of(
      new Col("id", Kind.LONG), new Col("name", Kind.TEXT), new Col("email", Kind.TEXT), new Col("country", Kind.TEXT),
      new Col("vip", Kind.BOOLEAN), new Col("created_at", Kind.TIMESTAMPTZ)),
      "CREATE TABLE customers (id bigint PRIMARY KEY, name text NOT NULL, email text NOT NULL, country char(2),"
          + " vip boolean NOT NULL, created_at timestamptz NOT NULL)");
  static final Table PRODUCTS = new Table("products", List.of(
      new Col("id", Kind.LONG), new Col("sku", Kind.TEXT), new Col("name", Kind.TEXT), new Col("price", Kind.DECIMAL),
      new Col("stock", Kind.LONG)),
      "CREATE TABLE products (id bigint PRIMARY KEY, sku varchar(16) NOT NULL, name text NOT NULL,"
          + " price numeric(10,2) NOT NULL, stock integer NOT NULL)");
  static final Table ORDERS = new Table("orders", List.of(
      new Col("id", Kind.LONG), new Col("customer_id", Kind.LONG), new Col("product_id", Kind.LONG),
      new Col("quantity", Kind.LONG), new Col("amount", Kind.DECIMAL), new Col("status", Kind.TEXT),
      new Col("ordered_at", Kind.TIMESTAMPTZ), new Col("updated_at", Kind.TIMESTAMPTZ)),
      "CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint NOT NULL, product_id bigint NOT NULL,"
          + " quantity integer NOT NULL, amount numeric(12,2) NOT NULL, status text NOT NULL,"
          + " ordered_at timestamptz NOT NULL, updated_at timestamptz)");
  static final List<Table> TABLES = List.of(CUSTOMERS, PRODUCTS, ORDERS);

  static final int CUSTOMER_ROWS = 20_000;
  static final int PRODUCT_ROWS = 1_000;
  static final List<String> STATUSES = List.of("new", "paid", "shipped", "delivered", "returned");

  private Shop() {}

  /** Whether the first load finished (it commits with the marker, so a half load is redone). */
  static boolean loaded(Connection c) throws SQLException {
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
        "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename = 'demo_loaded'")) {
      rs.next();
      return rs.getLong(1) == 1;
    }
  }

  /** Creates the tables and their rows in one transaction. */
  static void load(Connection c, int orders) throws SQLException {
    boolean auto = c.getAutoCommit();
    c.setAutoCommit(false);
    try (Statement st = c.createStatement()) {
      for (Table t : TABLES) {
        st.execute("DROP TABLE IF EXISTS " + t.name());
        st.execute(t.ddl());
      }
      st.execute("INSERT INTO customers SELECT g, 'Customer ' || g, 'customer' || g || '@example.com',"
          + " (ARRAY['DE','FR','US','JP','BR','IN','NG','SE'])[1 + g % 8], g % 17 = 0,"
          + " timestamptz '2024-01-01 00:00:00+00' + g * interval '37 minutes'"
          + " FROM generate_series(1::bigint, " + CUSTOMER_ROWS + ") g");
      st.execute("INSERT INTO products SELECT g, 'SKU-' || lpad(g::text, 5, '0'), 'Product ' || g,"
          + " round((100 + (g * 7919) % 50000) / 100.0, 2), (g * 31) % 500"
          + " FROM generate_series(1::bigint, " + PRODUCT_ROWS + ") g");
      st.execute("INSERT INTO orders SELECT g, 1 + (g * 7919) % " + CUSTOMER_ROWS + ", 1 + (g * 104729) % "
          + PRODUCT_ROWS + ", 1 + g % 5, round((100 + (g * 7919) % 100000) / 100.0, 2),"
          + " (ARRAY['new','paid','shipped','delivered'])[1 + g % 4],"
          + " timestamptz '2024-06-01 00:00:00+00' + g * interval '53 seconds', NULL"
          + " FROM generate_series(1::bigint, " + orders + ") g");
      for (Table t : TABLES) {
        // Whole before-images in the log: no update can leave an unchanged large value behind.
        st.execute("ALTER TABLE " + t.name() + " REPLICA IDENTITY FULL");
      }
      st.execute("CREATE TABLE demo_loaded (at timestamptz NOT NULL DEFAULT now())");
      st.execute("INSERT INTO demo_loaded DEFAULT VALUES");
      c.commit();
    } catch (SQLException e) {
      c.rollback();
      throw e;
    } finally {
      c.setAutoCommit(auto);
    }
  }
}
