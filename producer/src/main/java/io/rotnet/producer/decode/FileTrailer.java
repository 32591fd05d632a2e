package io.rotnet.producer.decode;

/**
 * Whether an encoded image ends the way a complete file of its format does. Decoding only a crop
 * stops reading early, so damage below the crop would go unseen; a file whose end is missing or
 * odd is therefore decoded whole, and the decoder judges it. Truncation, the usual damage (an
 * interrupted copy or download), is caught this way whatever the crop.
 */
final class FileTrailer {

  /** How far from the end a JPEG's end-of-image marker may sit (some writers append padding). */
  private static final int JPEG_EOI_SEARCH = 64;

  private static final byte[] PNG_IEND = {
    0, 0, 0, 0, 'I', 'E', 'N', 'D', (byte) 0xAE, 0x42, 0x60, (byte) 0x82
  };

  private FileTrailer() {}

  /** True for a JPEG or PNG whose end marker is in place; false for anything else. */
  static boolean isComplete(byte[] bytes) {
    if (startsWith(bytes, (byte) 0xFF, (byte) 0xD8)) {
      for (int i = bytes.length - 2; i >= Math.max(2, bytes.length - JPEG_EOI_SEARCH); i--) {
        if (bytes[i] == (byte) 0xFF && bytes[i + 1] == (byte) 0xD9) {
          return true;
        }
      }
      return false;
    }
    if (startsWith(bytes, (byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G')) {
      return endsWith(bytes, PNG_IEND);
    }
    return false;
  }

  private static boolean startsWith(byte[] bytes, byte... prefix) {
    if (bytes.length < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (bytes[i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  private static boolean endsWith(byte[] bytes, byte[] suffix) {
    if (bytes.length < suffix.length) {
      return false;
    }
    int start = bytes.length - suffix.length;
    for (int i = 0; i < suffix.length; i++) {
      if (bytes[start + i] != suffix[i]) {
        return false;
      }
    }
    return true;
  }
}
