package dev.sluice.source.debezium;

import dev.sluice.core.SluiceException;
import dev.sluice.core.event.Event;
import dev.sluice.core.event.Position;
import java.util.List;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * What a connector module tells the shared Debezium log about its records: which core events a
 * record becomes, which log position it marks, and what an engine failure means. Implemented in a
 * connector's own {@code debezium} package, so Debezium and Kafka Connect types stay there.
 */
public interface RecordMapper {

  /** The events a record becomes, in order; none for heartbeats and tables not captured. */
  List<Event> events(SourceRecord record);

  /**
   * The position this record marks, or {@code null} when it marks none. Every event at or before
   * it must be in this record or an earlier one: the log reports it as reached.
   */
  Position position(SourceRecord record);

  /**
   * Whether the record's offset may be stored and acknowledged: every event up to it has been
   * returned by {@link #events} (by this record or earlier ones). A connector that holds events back
   * (PostgreSQL waits for a transaction's commit to place its changes) says no for records inside
   * such a span, so a resume never skips what was held back.
   */
  default boolean storable(SourceRecord record) {
    return true;
  }

  /** The Sluice error for a failure of the engine (connection lost, purged log, bad setting). */
  SluiceException failure(String message, Throwable error);
}
