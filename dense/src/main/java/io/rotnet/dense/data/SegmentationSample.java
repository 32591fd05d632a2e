package io.rotnet.dense.data;

import java.nio.file.Path;

/** One image of a segmentation set and its label PNG (class indices, 255 ignored). */
public record SegmentationSample(String id, Path image, Path label) {}
