package io.rotnet.schemas.serde;

import org.apache.avro.io.BinaryData;
import org.apache.avro.io.BinaryEncoder;

/**
 * Counts the bytes the Avro binary encoding of a datum takes, writing nothing, so that the
 * serializer can allocate the output array at its final size and encode into it once.
 */
final class SizingEncoder extends BinaryEncoder {

  private final byte[] scratch = new byte[10];
  private long size;

  long size() {
    return size;
  }

  @Override
  public void writeBoolean(boolean b) {
    size += 1;
  }

  @Override
  public void writeInt(int n) {
    size += BinaryData.encodeInt(n, scratch, 0);
  }

  @Override
  public void writeLong(long n) {
    size += BinaryData.encodeLong(n, scratch, 0);
  }

  @Override
  public void writeFloat(float f) {
    size += 4;
  }

  @Override
  public void writeDouble(double d) {
    size += 8;
  }

  @Override
  public void writeFixed(byte[] bytes, int start, int len) {
    size += len;
  }

  @Override
  protected void writeZero() {
    size += 1;
  }

  @Override
  public int bytesBuffered() {
    return 0;
  }

  @Override
  public void flush() {
    // nothing is written
  }
}
