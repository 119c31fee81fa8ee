package dev.sluice.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/** The proof's checksum: independent of row order, sensitive to any value, including a decimal's scale. */
class ChecksumTest {

  private static Checksum products(String... rows) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite::memory:"); Statement st = c.createStatement()) {
      st.execute("CREATE TABLE products (id INTEGER PRIMARY KEY, sku TEXT, name TEXT, price TEXT, stock INTEGER)");
      for (String r : rows) {
        st.execute("INSERT INTO products VALUES " + r);
      }
      return Checksum.of(c, "products", Shop.PRODUCTS, Checksum.Side.SQLITE);
    }
  }

  @Test
  void rowOrderDoesNotMatterButEveryValueDoes() throws Exception {
    Checksum base = products("(1, 'SKU-1', 'a', '12.50', 3)", "(2, 'SKU-2', 'b', '0.99', 0)");
    assertThat(base.rows()).isEqualTo(2);
    assertThat(products("(2, 'SKU-2', 'b', '0.99', 0)", "(1, 'SKU-1', 'a', '12.50', 3)")).isEqualTo(base);
    assertThat(products("(1, 'SKU-1', 'a', '12.5', 3)", "(2, 'SKU-2', 'b', '0.99', 0)")).as("scale").isNotEqualTo(base);
    assertThat(products("(1, 'SKU-1', 'a', '12.50', 4)", "(2, 'SKU-2', 'b', '0.99', 0)")).isNotEqualTo(base);
    assertThat(products("(1, 'SKU-1', NULL, '12.50', 3)", "(2, 'SKU-2', 'b', '0.99', 0)")).as("null").isNotEqualTo(base);
    assertThat(products("(1, 'SKU-1', 'a', '12.50', 3)")).isNotEqualTo(base);
  }

  @Test
  void instantsCompareAsInstantsWhateverTheirFractionDigits() throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite::memory:"); Statement st = c.createStatement()) {
      st.execute("CREATE TABLE a (id INTEGER, name TEXT, email TEXT, country TEXT, vip INTEGER, created_at TEXT)");
      st.execute("CREATE TABLE b (id INTEGER, name TEXT, email TEXT, country TEXT, vip INTEGER, created_at TEXT)");
      st.execute("INSERT INTO a VALUES (1, 'n', 'e', 'DE', 1, '2024-01-01T00:37:00.000000Z')");
      st.execute("INSERT INTO b VALUES (1, 'n', 'e', 'DE', 1, '2024-01-01T00:37:00Z')");
      assertThat(Checksum.of(c, "a", Shop.CUSTOMERS, Checksum.Side.SQLITE))
          .isEqualTo(Checksum.of(c, "b", Shop.CUSTOMERS, Checksum.Side.SQLITE));
      st.execute("UPDATE b SET vip = 0");
      assertThat(Checksum.of(c, "a", Shop.CUSTOMERS, Checksum.Side.SQLITE))
          .isNotEqualTo(Checksum.of(c, "b", Shop.CUSTOMERS, Checksum.Side.SQLITE));
    }
  }

  @Test
  void icebergsValueObjectsReadTheSameAsSqlitesText() {
    assertThat(Checksum.canonical(new java.math.BigDecimal("12.50"), Shop.Kind.DECIMAL))
        .isEqualTo(Checksum.canonical("12.50", Shop.Kind.DECIMAL)).isEqualTo("12.50");
    assertThat(Checksum.canonical(java.time.OffsetDateTime.parse("2024-01-01T01:37:00+01:00"), Shop.Kind.TIMESTAMPTZ))
        .isEqualTo(Checksum.canonical("2024-01-01T00:37:00.000000Z", Shop.Kind.TIMESTAMPTZ));
    assertThat(Checksum.canonical(Boolean.TRUE, Shop.Kind.BOOLEAN)).isEqualTo(Checksum.canonical(1, Shop.Kind.BOOLEAN));
    assertThat(Checksum.canonical(7, Shop.Kind.LONG)).isEqualTo(Checksum.canonical(7L, Shop.Kind.LONG));
    assertThat(Checksum.canonical(null, Shop.Kind.TEXT)).isNull();
  }
}
