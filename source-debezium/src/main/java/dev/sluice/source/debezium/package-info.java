/**
 * The Debezium embedded engine behind Sluice's log readers. Debezium and Kafka Connect types stay
 * inside this package and the connector modules' own {@code debezium} packages; nothing outside
 * them sees one.
 */
package dev.sluice.source.debezium;
