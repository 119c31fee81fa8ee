#!/usr/bin/env bash
# A real pipeline in one command: starts MySQL 8 and Kafka on 127.0.0.1 (scripts/test-env.sh),
# creates a small shop database with some writes going on, and runs examples/mysql-to-kafka.yaml
# with ./sluice in the foreground. Ctrl-C stops it cleanly (checkpoint saved); run it again and it
# resumes. `scripts/test-env.sh down` stops the servers afterwards.
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO"

scripts/test-env.sh up mysql kafka
# shellcheck disable=SC1091
source <(grep '^SLUICE_[A-Z_]*=' "${SLUICE_RUN_DIR:-$REPO/.run/test-env}/endpoints.env" | sed 's/^/export /')


# The demo data, created with the JDBC driver through a tiny Java program so no client is needed.
java_src="$(mktemp -d)/DemoData.java"
cat > "$java_src" <<'JAVA'
import java.sql.*;
public class DemoData {
  public static void main(String[] a) throws Exception {
    try (Connection c = DriverManager.getConnection(a[0], a[1], a[2]); Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE IF NOT EXISTS demo_shop");
      s.execute("CREATE TABLE IF NOT EXISTS demo_shop.orders (id BIGINT PRIMARY KEY, customer VARCHAR(40), "
          + "amount DECIMAL(12,2), created DATETIME(3))");
      s.execute("CREATE TABLE IF NOT EXISTS demo_shop.customers (id INT PRIMARY KEY, name VARCHAR(40), city VARCHAR(40))");
      ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM demo_shop.orders");
      rs.next();
      if (rs.getLong(1) == 0) {
        for (int i = 1; i <= 50; i++) {
          StringBuilder sql = new StringBuilder("INSERT INTO demo_shop.orders VALUES ");
          for (int j = 0; j < 2000; j++) {
            long id = (i - 1) * 2000L + j + 1;
            sql.append(j == 0 ? "" : ",").append("(").append(id).append(",'customer-").append(id % 500)
               .append("',").append(id % 997).append(".25, NOW(3))");
          }
          s.execute(sql.toString());
        }
        for (int i = 0; i < 500; i++) {
          s.execute("INSERT INTO demo_shop.customers VALUES (" + i + ", 'customer-" + i + "', 'city-" + (i % 40) + "')");
        }
      }
    }
  }
}
JAVA
cp="$(ls "$HOME"/.m2/repository/com/mysql/mysql-connector-j/*/mysql-connector-j-*.jar 2>/dev/null | head -1 || true)"
if [[ -z "$cp" ]]; then
  ./mvnw -q -B dependency:get -Dartifact=com.mysql:mysql-connector-j:9.4.0 >/dev/null
  cp="$(ls "$HOME"/.m2/repository/com/mysql/mysql-connector-j/*/mysql-connector-j-*.jar | head -1)"
fi
echo "demo: creating demo_shop (100 000 orders, 500 customers) on MySQL 8 at $SLUICE_MYSQL_HOST:$SLUICE_MYSQL_PORT"
java -cp "$cp" "$java_src" "$SLUICE_MYSQL_URL" "$SLUICE_MYSQL_ADMIN_USER" "$SLUICE_MYSQL_ADMIN_PASSWORD"

export MYSQL_HOST="$SLUICE_MYSQL_HOST" MYSQL_PORT="$SLUICE_MYSQL_PORT" MYSQL_USER="$SLUICE_MYSQL_USER"
export MYSQL_PASSWORD="$SLUICE_MYSQL_PASSWORD" MYSQL_DATABASE=demo_shop KAFKA_BOOTSTRAP="$SLUICE_KAFKA_BOOTSTRAP"
mkdir -p .run/demo && cd .run/demo
echo "demo: ./sluice run examples/mysql-to-kafka.yaml (topics demo_shop.orders and demo_shop.customers); Ctrl-C stops"
exec "$REPO/sluice" run "$REPO/examples/mysql-to-kafka.yaml"
