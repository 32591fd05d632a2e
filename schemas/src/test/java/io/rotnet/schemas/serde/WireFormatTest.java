package io.rotnet.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class WireFormatTest {

  @Test
  void headerIsMagicZeroAndBigEndianId() {
    byte[] value = new byte[7];
    WireFormat.writeHeader(value, 0x01020304);
    assertThat(value).startsWith(0, 1, 2, 3, 4);
    assertThat(WireFormat.readSchemaId(value)).isEqualTo(0x01020304);
    WireFormat.writeHeader(value, Integer.MAX_VALUE);
    assertThat(WireFormat.readSchemaId(value)).isEqualTo(Integer.MAX_VALUE);
  }

  @Test
  void shortValuesAndOtherMagicBytesAreNotConfluentFraming() {
    assertThatThrownBy(() -> WireFormat.readSchemaId(new byte[] {0, 0, 0}))
        .isInstanceOfSatisfying(
            AvroDecodingException.class,
            e -> {
              assertThat(e.failure()).isEqualTo(DecodeFailure.NOT_CONFLUENT_FRAMING);
              assertThat(e.schemaId()).isEqualTo(-1);
            })
        .hasMessage(
            "not-confluent-framing: value has 3 bytes, fewer than the 5-byte header"
                + " (magic byte 0 and 4-byte schema id)");
    assertThatThrownBy(() -> WireFormat.readSchemaId(new byte[] {'{', 0, 0, 0, 1, 2}))
        .isInstanceOf(AvroDecodingException.class)
        .hasMessage("not-confluent-framing: first byte is 0x7b, expected the magic byte 0x00");
  }
}
