package dev.sluice.source.mysql;

/**
 * The two servers this source reads. They differ in how the visible horizon is found (see
 * {@link Watermarks}) and in their status statements.
 */
enum Flavor {
  MYSQL, MARIADB;

  static Flavor ofVersion(String version) {
    return version.toLowerCase(java.util.Locale.ROOT).contains("mariadb") ? MARIADB : MYSQL;
  }
}
