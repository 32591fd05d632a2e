package io.rotnet.producer.bench;

/**
 * CPU milliseconds per image of each kind of thread on the producer's full path: the decode
 * workers (decode, augment, encode, Avro-serialize), the sending thread (batching and compression
 * inside {@code KafkaProducer.send}) and the Kafka client's I/O thread.
 */
public record ThreadSplit(double workerMillis, double senderMillis, double ioMillis) {

  /** The mean of several runs' splits. */
  static ThreadSplit mean(java.util.List<ThreadSplit> splits) {
    double worker = 0;
    double sender = 0;
    double io = 0;
    for (ThreadSplit split : splits) {
      worker += split.workerMillis;
      sender += split.senderMillis;
      io += split.ioMillis;
    }
    int n = Math.max(1, splits.size());
    return new ThreadSplit(worker / n, sender / n, io / n);
  }

  static ThreadSplit perImage(long images, long workerNanos, long senderNanos, long ioNanos) {
    double perImage = Math.max(1, images) * 1e6;
    return new ThreadSplit(workerNanos / perImage, senderNanos / perImage, ioNanos / perImage);
  }
}
