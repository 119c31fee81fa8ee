package dev.sluice.sink.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.event.ChangeEvent;
import dev.sluice.core.event.Key;
import dev.sluice.core.event.LogicalType.Kind;
import dev.sluice.core.event.Row;
import dev.sluice.core.event.TableId;
import dev.sluice.core.event.TableSchema;
import dev.sluice.core.testing.TypeMatrix;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every logical type, at its edges, survives into each target exactly: written, read back, equal. */
class TypeMatrixIT {

  static final TableSchema SCHEMA = TypeMatrix.schema(TableId.of("src", "types"));

  static List<Row> rows() {
    return TypeMatrix.rows();
  }

  @ParameterizedTest
  @EnumSource(TargetDb.Kind.class)
  void everyLogicalTypeSurvivesExactly(TargetDb.Kind kind) throws Exception {
    Set<Kind> covered = SCHEMA.columns().stream().map(c -> c.type().kind()).collect(Collectors.toCollection(() -> EnumSet.noneOf(Kind.class)));
    assertThat(covered).as("the matrix covers every logical type").isEqualTo(EnumSet.allOf(Kind.class));
    try (TargetDb db = TargetDb.create(kind); JdbcSink sink = db.sink("types", Map.of())) {
      List<ChangeEvent> events = new ArrayList<>();
      for (Row r : rows()) {
        events.add(Events.insert(SCHEMA, r.values().toArray()));
      }
      sink.write(events);
      sink.flush();

      Map<Key, Row> back = db.rows("types", SCHEMA);
      assertThat(back).hasSize(3);
      for (Row expected : rows()) {
        Row got = back.get(SCHEMA.keyOf(expected));
        for (int i = 0; i < SCHEMA.columns().size(); i++) {
          Object e = expected.get(i);
          Object g = got.get(i);
          String col = SCHEMA.columns().get(i).name();
          if (e instanceof byte[] eb) {
            assertThat((byte[]) g).as("column %s of %s", col, SCHEMA.keyOf(expected)).isEqualTo(eb);
          } else {
            assertThat(g).as("column %s of %s (%s)", col, SCHEMA.keyOf(expected), kind).isEqualTo(e);
          }
        }
        assertThat(got).isEqualTo(expected);
      }
    }
  }

  static String show(Object v) {
    return v instanceof byte[] b ? Arrays.toString(b) : String.valueOf(v);
  }
}
