package dev.sluice.source.mongodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.SluiceException.ConfigurationException;
import org.bson.BsonTimestamp;
import org.junit.jupiter.api.Test;

/** Positions order by cluster time, then token; a token-less position is after its whole second.increment. */
class MongoPositionTest {
  private static final BsonTimestamp T = new BsonTimestamp(1_700_000_000, 7);

  @Test
  void ordersByClusterTimeThenTokenWithTheWatermarkLast() {
    MongoPosition first = new MongoPosition(T.getValue(), "8265A0000000070000000001");
    MongoPosition second = new MongoPosition(T.getValue(), "8265A0000000070000000002");
    MongoPosition afterAll = MongoPosition.after(T);
    MongoPosition next = new MongoPosition(new BsonTimestamp(1_700_000_000, 8).getValue(), "8265A0");
    assertThat(first).isLessThan(second);
    assertThat(second).isLessThan(afterAll);
    assertThat(afterAll).isLessThan(next);
    assertThat(MongoPosition.max(afterAll, second)).isSameAs(afterAll);
  }

  @Test
  void secondsAbove2pow31AreOrderedUnsigned() {
    assertThat(MongoPosition.after(new BsonTimestamp(Integer.MIN_VALUE, 0)))
        .isGreaterThan(MongoPosition.after(new BsonTimestamp(Integer.MAX_VALUE, 5)));
  }

  @Test
  void encodesAndDecodesBothKinds() {
    MongoPosition event = new MongoPosition(T.getValue(), "6b07049100000001");
    assertThat(event.encode()).isEqualTo("1700000000.7/6b07049100000001");
    assertThat(MongoPosition.decode(event.encode())).isEqualTo(event);
    assertThat(MongoPosition.decode("1700000000.7")).isEqualTo(MongoPosition.after(T));
  }

  @Test
  void aStreamOpenedAtAWatermarkStartsAtTheNextClusterTime() {
    assertThat(MongoPosition.after(T).nextTime()).isEqualTo(new BsonTimestamp(1_700_000_000, 8));
    assertThat(MongoPosition.after(new BsonTimestamp(5, -1)).nextTime()).isEqualTo(new BsonTimestamp(6, 0));
  }

  @Test
  void refusesAPositionOfAnotherSource() {
    assertThatThrownBy(() -> MongoPosition.decode("mysql-bin.000003:154"))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("not a MongoDB change-stream position");
  }
}
