package dev.sluice.core.snapshot;

import dev.sluice.core.checkpoint.TableProgress.Phase;
import dev.sluice.core.event.TableId;

/**
 * One table's snapshot at a glance: chunks finished, chunks in hand (pending, reading or buffered),
 * whether planning is complete (only then is the chunk total known), rows read, and the table's
 * estimated rows from the source's statistics (-1 until known), for a percentage and an ETA.
 */
public record TableStatus(TableId table, Phase phase, long chunksDone, long chunksInHand, boolean planComplete,
    long rowsRead, long estimatedRows) {}
