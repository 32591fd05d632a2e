package io.rotnet.schemas.serde;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.io.Decoder;
import org.apache.avro.util.Utf8;

/**
 * Decodes Avro binary from a slice of one array and checks every length and item count against
 * the bytes actually left before allocating anything, so a corrupt or hostile value fails with a
 * clear error instead of asking for gigabytes.
 */
final class BoundedBinaryDecoder extends Decoder {

  private final byte[] buf;
  private final int limit;
  private int pos;

  BoundedBinaryDecoder(byte[] buf, int offset, int length) {
    this.buf = buf;
    this.pos = offset;
    this.limit = offset + length;
  }

  int remaining() {
    return limit - pos;
  }

  @Override
  public void readNull() {
    // null takes no bytes
  }

  @Override
  public boolean readBoolean() throws IOException {
    require(1, "boolean");
    int b = buf[pos++];
    if (b != 0 && b != 1) {
      throw new AvroRuntimeException("invalid boolean byte " + b);
    }
    return b == 1;
  }

  @Override
  public int readInt() throws IOException {
    int raw = 0;
    for (int shift = 0; shift < 35; shift += 7) {
      require(1, "int");
      int b = buf[pos++] & 0xff;
      raw |= (b & 0x7f) << shift;
      if (b < 0x80) {
        return (raw >>> 1) ^ -(raw & 1);
      }
    }
    throw new AvroRuntimeException("invalid int encoding (more than 5 bytes)");
  }

  @Override
  public long readLong() throws IOException {
    long raw = 0;
    for (int shift = 0; shift < 70; shift += 7) {
      require(1, "long");
      int b = buf[pos++] & 0xff;
      raw |= (long) (b & 0x7f) << shift;
      if (b < 0x80) {
        return (raw >>> 1) ^ -(raw & 1);
      }
    }
    throw new AvroRuntimeException("invalid long encoding (more than 10 bytes)");
  }

  @Override
  public float readFloat() throws IOException {
    require(4, "float");
    int bits =
        (buf[pos] & 0xff)
            | (buf[pos + 1] & 0xff) << 8
            | (buf[pos + 2] & 0xff) << 16
            | (buf[pos + 3] & 0xff) << 24;
    pos += 4;
    return Float.intBitsToFloat(bits);
  }

  @Override
  public double readDouble() throws IOException {
    require(8, "double");
    long bits = 0;
    for (int i = 7; i >= 0; i--) {
      bits = bits << 8 | (buf[pos + i] & 0xff);
    }
    pos += 8;
    return Double.longBitsToDouble(bits);
  }

  @Override
  public Utf8 readString(Utf8 old) throws IOException {
    int length = readLength("string");
    Utf8 result = old != null ? old : new Utf8();
    result.setByteLength(length);
    System.arraycopy(buf, pos, result.getBytes(), 0, length);
    pos += length;
    return result;
  }

  @Override
  public String readString() throws IOException {
    int length = readLength("string");
    String result = new String(buf, pos, length, StandardCharsets.UTF_8);
    pos += length;
    return result;
  }

  @Override
  public void skipString() throws IOException {
    skip(readLength("string"));
  }

  @Override
  public ByteBuffer readBytes(ByteBuffer old) throws IOException {
    int length = readLength("bytes");
    ByteBuffer result;
    if (old != null && old.hasArray() && old.capacity() >= length) {
      result = old;
      result.clear();
    } else {
      result = ByteBuffer.allocate(length);
    }
    System.arraycopy(buf, pos, result.array(), result.arrayOffset(), length);
    result.limit(length);
    pos += length;
    return result;
  }

  @Override
  public void skipBytes() throws IOException {
    skip(readLength("bytes"));
  }

  @Override
  public void readFixed(byte[] bytes, int start, int length) throws IOException {
    require(length, "fixed");
    System.arraycopy(buf, pos, bytes, start, length);
    pos += length;
  }

  @Override
  public void skipFixed(int length) throws IOException {
    skip(length);
  }

  @Override
  public int readEnum() throws IOException {
    return readInt();
  }

  @Override
  public long readArrayStart() throws IOException {
    return readItemCount("array");
  }

  @Override
  public long arrayNext() throws IOException {
    return readItemCount("array");
  }

  @Override
  public long skipArray() throws IOException {
    return skipItems("array");
  }

  @Override
  public long readMapStart() throws IOException {
    return readItemCount("map");
  }

  @Override
  public long mapNext() throws IOException {
    return readItemCount("map");
  }

  @Override
  public long skipMap() throws IOException {
    return skipItems("map");
  }

  @Override
  public int readIndex() throws IOException {
    return readInt();
  }

  private long readItemCount(String what) throws IOException {
    long count = readLong();
    if (count < 0) {
      readLong(); // block size in bytes, not needed when reading item by item
      count = -count;
    }
    // Every item of our schemas takes at least one byte, so more items than bytes is corrupt.
    if (count > remaining()) {
      throw new AvroRuntimeException(
          what + " block claims " + count + " items but only " + remaining() + " bytes are left");
    }
    return count;
  }

  private long skipItems(String what) throws IOException {
    long count = readLong();
    while (count < 0) {
      long blockSize = readLong();
      if (blockSize < 0 || blockSize > remaining()) {
        throw new EOFException(what + " block of " + blockSize + " bytes, " + remaining() + " left");
      }
      skip((int) blockSize);
      count = readLong();
    }
    return count;
  }

  private int readLength(String what) throws IOException {
    long length = readLong();
    if (length < 0) {
      throw new AvroRuntimeException(what + " length is negative: " + length);
    }
    if (length > remaining()) {
      throw new EOFException(
          "a " + what + " value of " + length + " bytes, but only " + remaining() + " are left");
    }
    return (int) length;
  }

  private void skip(int length) throws IOException {
    require(length, "skipped value");
    pos += length;
  }

  private void require(int bytes, String what) throws EOFException {
    if (bytes < 0 || limit - pos < bytes) {
      throw new EOFException(
          what + " needs " + bytes + " bytes, but only " + (limit - pos) + " are left");
    }
  }
}
