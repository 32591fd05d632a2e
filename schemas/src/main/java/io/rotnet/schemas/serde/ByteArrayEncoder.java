package io.rotnet.schemas.serde;

import org.apache.avro.io.BinaryData;
import org.apache.avro.io.BinaryEncoder;

/**
 * Writes the Avro binary encoding straight into an array sized beforehand by {@link
 * SizingEncoder}: no intermediate buffer, so large {@code bytes} fields are copied exactly once.
 */
final class ByteArrayEncoder extends BinaryEncoder {

  private final byte[] target;
  private int position;

  ByteArrayEncoder(byte[] target, int offset) {
    this.target = target;
    this.position = offset;
  }

  int position() {
    return position;
  }

  @Override
  public void writeBoolean(boolean b) {
    position += BinaryData.encodeBoolean(b, target, position);
  }

  @Override
  public void writeInt(int n) {
    position += BinaryData.encodeInt(n, target, position);
  }

  @Override
  public void writeLong(long n) {
    position += BinaryData.encodeLong(n, target, position);
  }

  @Override
  public void writeFloat(float f) {
    position += BinaryData.encodeFloat(f, target, position);
  }

  @Override
  public void writeDouble(double d) {
    position += BinaryData.encodeDouble(d, target, position);
  }

  @Override
  public void writeFixed(byte[] bytes, int start, int len) {
    System.arraycopy(bytes, start, target, position, len);
    position += len;
  }

  @Override
  protected void writeZero() {
    target[position++] = 0;
  }

  @Override
  public int bytesBuffered() {
    return 0;
  }

  @Override
  public void flush() {
    // writes go straight to the target array
  }
}
