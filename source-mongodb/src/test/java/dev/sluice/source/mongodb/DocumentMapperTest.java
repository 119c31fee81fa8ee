package dev.sluice.source.mongodb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.event.LogicalType;
import dev.sluice.core.event.Row;
import dev.sluice.core.event.TableId;
import dev.sluice.core.event.TableSchema;
import java.util.List;
import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.bson.json.JsonMode;
import org.junit.jupiter.api.Test;

/** Documents become rows of exact Extended JSON; {@code _id} text reads back to the same value. */
class DocumentMapperTest {
  private static final BsonDocument DOC = BsonDocument.parse("""
      {"_id": {"$oid": "65a0c0ffee0000000000000a"},
       "price": {"$numberDecimal": "1234.5600"},
       "at": {"$date": "2024-02-29T12:34:56.789Z"},
       "blob": {"$binary": {"base64": "AAEC/w==", "subType": "00"}},
       "big": {"$numberLong": "9007199254740993"},
       "ratio": 0.1,
       "nested": {"tags": ["a", {"b": [1, 2]}], "none": null}}
      """);

  @Test
  void jsonMappingKeepsBsonTypesExact() {
    DocumentMapper m = DocumentMapper.json(JsonMode.RELAXED);
    TableSchema schema = m.schema(TableId.of("shop", "orders"));
    assertThat(schema.columns()).extracting(c -> c.name() + ":" + c.type())
        .containsExactly("_id:" + LogicalType.STRING, "doc:" + LogicalType.JSON);
    assertThat(schema.keyColumns()).containsExactly("_id");
    Row row = m.row(DOC, null);
    assertThat(row.get(0)).isEqualTo("{\"$oid\": \"65a0c0ffee0000000000000a\"}");
    assertThat(BsonDocument.parse((String) row.get(1))).isEqualTo(DOC);
    assertThat((String) row.get(1)).contains("{\"$numberDecimal\": \"1234.5600\"}",
        "{\"$date\": \"2024-02-29T12:34:56.789Z\"}", "\"big\": 9007199254740993");
  }

  @Test
  void canonicalModeTypesEveryNumber() {
    Row row = DocumentMapper.json(JsonMode.EXTENDED).row(DOC, null);
    assertThat((String) row.get(1)).contains("{\"$numberLong\": \"9007199254740993\"}",
        "{\"$numberDouble\": \"0.1\"}", "{\"$date\": {\"$numberLong\": \"1709210096789\"}}");
    assertThat(BsonDocument.parse((String) row.get(1))).isEqualTo(DOC);
  }

  @Test
  void flattenMappingMakesAColumnPerNamedField() {
    DocumentMapper m = DocumentMapper.flatten(List.of("price", "nested", "missing"), JsonMode.RELAXED);
    TableSchema schema = m.schema(TableId.of("shop", "orders"));
    assertThat(schema.columns()).extracting(c -> c.name()).containsExactly("_id", "price", "nested", "missing");
    Row row = m.row(DOC, null);
    assertThat(row.values()).containsExactly("{\"$oid\": \"65a0c0ffee0000000000000a\"}",
        "{\"$numberDecimal\": \"1234.5600\"}", "{\"tags\": [\"a\", {\"b\": [1, 2]}], \"none\": null}", null);
  }

  @Test
  void idTextReadsBackToTheSameValue() {
    DocumentMapper m = DocumentMapper.json(JsonMode.RELAXED);
    for (BsonValue id : DOC.values()) {
      assertThat(DocumentMapper.parseId(m.idText(id))).as("%s", id).isEqualTo(id);
    }
    assertThat(m.idText(BsonDocument.parse("{v: 'quote\" and \\\\'}").get("v"))).isEqualTo("\"quote\\\" and \\\\\"");
  }

  @Test
  void aDocumentWithoutIdTakesTheKeyFromTheEvent() {
    DocumentMapper m = DocumentMapper.json(JsonMode.RELAXED);
    Row row = m.row(BsonDocument.parse("{a: 1}"), BsonDocument.parse("{_id: 7}").get("_id"));
    assertThat(row.values()).containsExactly("7", "{\"_id\": 7, \"a\": 1}");
  }
}
