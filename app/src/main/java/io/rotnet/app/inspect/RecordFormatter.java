package io.rotnet.app.inspect;

import io.rotnet.schemas.avro.RotatedImage;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * One readable line per record: where it sits, its key, then its fields. Bytes are summarised
 * (size, and for images encoding, shape and mean intensity), never dumped; long strings and lists
 * are shortened so a line stays a line.
 */
public final class RecordFormatter {

  private static final int MAX_STRING = 96;
  private static final int MAX_LIST_ITEMS = 4;

  private RecordFormatter() {}

  /** {@code p<partition>@<offset> key=<key> <Type> field=value ...}. */
  public static String line(ConsumerRecord<String, ?> record, Object value) {
    StringBuilder out = new StringBuilder();
    out.append('p').append(record.partition()).append('@').append(record.offset());
    out.append(" key=").append(record.key() == null ? "null" : shorten(record.key()));
    out.append(' ');
    if (value instanceof RotatedImage image) {
      out.append(rotatedImage(image));
    } else if (value instanceof GenericRecord generic) {
      out.append(generic.getSchema().getName()).append(' ');
      appendFields(out, generic);
    } else {
      out.append(String.valueOf(value));
    }
    return out.toString();
  }

  /** A rotated view: what the trainer will see, summarised. */
  public static String rotatedImage(RotatedImage image) {
    ViewPixels.Summary pixels = ViewPixels.summarise(image);
    return String.format(
        Locale.ROOT,
        "RotatedImage sample=%s rotation=%d (%d deg ccw) epoch=%d index=%d/%d label=%s %dx%dx%d %s %d B mean=%s source=%s",
        image.getSampleId(),
        image.getRotation(),
        image.getRotation() * 90,
        image.getEpoch(),
        image.getIndexInEpoch(),
        image.getDatasetSize(),
        image.getSourceLabel() == null ? "-" : image.getSourceLabel(),
        image.getWidth(),
        image.getHeight(),
        image.getChannels(),
        image.getEncoding(),
        image.getPixels().remaining(),
        pixels.mean() == null ? "?" : String.format(Locale.ROOT, "%.1f", pixels.mean()),
        shorten(image.getSourceUri()));
  }

  private static void appendFields(StringBuilder out, GenericRecord record) {
    List<Schema.Field> fields = record.getSchema().getFields();
    for (int i = 0; i < fields.size(); i++) {
      if (i > 0) {
        out.append(' ');
      }
      out.append(fields.get(i).name()).append('=');
      appendValue(out, record.get(i));
    }
  }

  private static void appendValue(StringBuilder out, Object value) {
    if (value == null) {
      out.append("null");
    } else if (value instanceof ByteBuffer bytes) {
      out.append('<').append(bytes.remaining()).append(" bytes>");
    } else if (value instanceof byte[] bytes) {
      out.append('<').append(bytes.length).append(" bytes>");
    } else if (value instanceof CharSequence text) {
      out.append(shorten(text.toString()));
    } else if (value instanceof Double || value instanceof Float) {
      out.append(String.format(Locale.ROOT, "%.4g", ((Number) value).doubleValue()));
    } else if (value instanceof GenericRecord nested) {
      out.append('{');
      appendFields(out, nested);
      out.append('}');
    } else if (value instanceof List<?> list) {
      out.append('[');
      for (int i = 0; i < Math.min(list.size(), MAX_LIST_ITEMS); i++) {
        if (i > 0) {
          out.append(", ");
        }
        appendValue(out, list.get(i));
      }
      if (list.size() > MAX_LIST_ITEMS) {
        out.append(", ... ").append(list.size()).append(" in all");
      }
      out.append(']');
    } else if (value instanceof Map<?, ?> map) {
      out.append('{').append(map.size()).append(" entries}");
    } else {
      out.append(value);
    }
  }

  static String shorten(String text) {
    String oneLine = text.replace('\n', ' ').replace('\r', ' ');
    return oneLine.length() <= MAX_STRING ? oneLine : oneLine.substring(0, MAX_STRING - 3) + "...";
  }
}
