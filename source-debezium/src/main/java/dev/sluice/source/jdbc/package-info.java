/**
 * The snapshot reads the JDBC sources share: the statements of key space, chunk boundaries and range
 * reads, each dialect supplying its quoting, key comparison, value binding and reading.
 */
package dev.sluice.source.jdbc;
