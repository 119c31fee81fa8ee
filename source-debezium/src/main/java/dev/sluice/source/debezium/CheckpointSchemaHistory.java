package dev.sluice.source.debezium;

import io.debezium.config.Configuration;
import io.debezium.document.DocumentReader;
import io.debezium.document.DocumentWriter;
import io.debezium.relational.history.AbstractSchemaHistory;
import io.debezium.relational.history.HistoryRecord;
import io.debezium.relational.history.HistoryRecordComparator;
import io.debezium.relational.history.SchemaHistoryException;
import io.debezium.relational.history.SchemaHistoryListener;
import java.io.IOException;
import java.util.function.Consumer;

/**
 * Debezium's schema history, kept in memory and stored in the Sluice checkpoint. Debezium replays
 * only the records at or before the offset it resumes from, so a history that ran ahead of the
 * checkpoint's position is harmless. Instantiated by Debezium by class name.
 */
public final class CheckpointSchemaHistory extends AbstractSchemaHistory {
  static final String HANDLE = CONFIGURATION_FIELD_PREFIX_STRING + EngineState.HANDLE;

  private EngineState state;

  @Override
  public void configure(Configuration config, HistoryRecordComparator comparator, SchemaHistoryListener listener,
      boolean useCatalogBeforeSchema) {
    super.configure(config, comparator, listener, useCatalogBeforeSchema);
    state = EngineState.lookup(config.getString(HANDLE));
  }

  @Override
  protected void storeRecord(HistoryRecord record) throws SchemaHistoryException {
    try {
      state.addHistory(DocumentWriter.defaultWriter().write(record.document()));
    } catch (IOException e) {
      throw new SchemaHistoryException("cannot serialize a schema history record", e);
    }
  }

  @Override
  protected void recoverRecords(Consumer<HistoryRecord> records) {
    for (String r : state.history()) {
      try {
        records.accept(new HistoryRecord(DocumentReader.defaultReader().read(r)));
      } catch (IOException e) {
        throw new SchemaHistoryException("the checkpoint's schema history is not readable", e);
      }
    }
  }

  @Override
  public boolean storageExists() {
    return true;
  }

  @Override
  public boolean exists() {
    return state != null && state.hasHistory();
  }

  @Override
  public String toString() {
    return "sluice-checkpoint";
  }
}
