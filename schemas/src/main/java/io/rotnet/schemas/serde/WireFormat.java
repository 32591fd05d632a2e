package io.rotnet.schemas.serde;

/**
 * The Confluent wire format: magic byte 0, the writer's schema id as a 4-byte big-endian int, then
 * the Avro binary encoding of the value.
 */
public final class WireFormat {

  /** The first byte of every framed value. */
  public static final byte MAGIC_BYTE = 0;
  /** Magic byte plus schema id. */
  public static final int HEADER_SIZE = 5;

  private WireFormat() {}

  /** Writes the header into the first five bytes of {@code target}. */
  public static void writeHeader(byte[] target, int schemaId) {
    target[0] = MAGIC_BYTE;
    target[1] = (byte) (schemaId >>> 24);
    target[2] = (byte) (schemaId >>> 16);
    target[3] = (byte) (schemaId >>> 8);
    target[4] = (byte) schemaId;
  }

  /**
   * The schema id in the header of a framed value.
   *
   * @throws AvroDecodingException ({@link DecodeFailure#NOT_CONFLUENT_FRAMING}) when the value is
   *     too short or does not start with the magic byte
   */
  public static int readSchemaId(byte[] value) {
    return readSchemaId(value, 0, value.length);
  }

  /** As {@link #readSchemaId(byte[])}, for a value at {@code offset} of {@code length} bytes. */
  public static int readSchemaId(byte[] buffer, int offset, int length) {
    if (length < HEADER_SIZE) {
      throw new AvroDecodingException(
          DecodeFailure.NOT_CONFLUENT_FRAMING,
          -1,
          "value has " + length + " bytes, fewer than the 5-byte header"
              + " (magic byte 0 and 4-byte schema id)");
    }
    if (buffer[offset] != MAGIC_BYTE) {
      throw new AvroDecodingException(
          DecodeFailure.NOT_CONFLUENT_FRAMING,
          -1,
          String.format(
              "first byte is 0x%02x, expected the magic byte 0x00", buffer[offset] & 0xff));
    }
    return ((buffer[offset + 1] & 0xff) << 24)
        | ((buffer[offset + 2] & 0xff) << 16)
        | ((buffer[offset + 3] & 0xff) << 8)
        | (buffer[offset + 4] & 0xff);
  }
}
