package io.rotnet.trainer.devices;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.engine.StandardCapabilities;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.pytorch.jni.LibUtils;
import ai.djl.util.cuda.CudaUtils;
import java.io.IOException;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the engine can run on, checked before a service connects to anything: a device the engine
 * does not have is an error that names the device and what the engine found, instead of
 * libtorch's dispatcher dump at the first array made on it.
 */
public final class EngineDevices {

  /** DJL's switch for cuDNN's autotuner, read when the PyTorch engine starts. */
  public static final String CUDNN_BENCHMARK_PROPERTY = "ai.djl.pytorch.cudnn_benchmark";

  private static final Logger LOG = LoggerFactory.getLogger(EngineDevices.class);

  private final Engine engine;

  private EngineDevices(Engine engine) {
    this.engine = Objects.requireNonNull(engine, "engine");
  }

  /** The default engine (PyTorch), loading its natives if they are not loaded yet. */
  public static EngineDevices of(Engine engine) {
    return new EngineDevices(engine);
  }

  public static EngineDevices current() {
    return of(Engine.getInstance());
  }

  /** Whether the loaded libtorch was built with CUDA. */
  public boolean cudaBuild() {
    return engine.hasCapability(StandardCapabilities.CUDA);
  }

  /** GPUs the engine can use: none on a CPU build of libtorch, whatever the driver reports. */
  public int gpuCount() {
    return cudaBuild() ? engine.getGpuCount() : 0;
  }

  /** Every usable GPU, else the CPU: the devices a trainer uses when none are named. */
  public List<Device> defaults() {
    int gpus = gpuCount();
    if (gpus == 0) {
      return List.of(Device.cpu());
    }
    List<Device> all = new ArrayList<>(gpus);
    for (int i = 0; i < gpus; i++) {
      all.add(Device.gpu(i));
    }
    return List.copyOf(all);
  }

  /** One GPU the engine can use: its CUDA index, compute capability and memory in bytes. */
  public record Gpu(int index, String computeCapability, long totalBytes, long usedBytes) {}

  /** Every GPU the engine can use, with what CUDA reports of it. */
  public List<Gpu> gpus() {
    List<Gpu> gpus = new ArrayList<>();
    for (int i = 0; i < gpuCount(); i++) {
      MemoryUsage memory = CudaUtils.getGpuMemory(Device.gpu(i));
      gpus.add(new Gpu(i, CudaUtils.getComputeCapability(i), memory.getMax(), memory.getUsed()));
    }
    return List.copyOf(gpus);
  }

  /**
   * The NVIDIA driver's own account of the GPUs and its version ({@code /proc/driver/nvidia}),
   * whether or not the engine can use them; empty without the driver.
   */
  public static List<String> driverReport() {
    Path root = Path.of("/proc/driver/nvidia");
    List<String> lines = new ArrayList<>();
    try {
      Path version = root.resolve("version");
      if (Files.isReadable(version)) {
        Files.readAllLines(version).stream().findFirst().ifPresent(line -> lines.add(line.trim()));
      }
      Path gpus = root.resolve("gpus");
      if (Files.isDirectory(gpus)) {
        try (Stream<Path> each = Files.list(gpus).sorted()) {
          for (Path gpu : (Iterable<Path>) each::iterator) {
            String model =
                Files.readAllLines(gpu.resolve("information")).stream()
                    .filter(line -> line.startsWith("Model:"))
                    .map(line -> line.substring("Model:".length()).trim())
                    .findFirst()
                    .orElse("unknown model");
            lines.add(gpu.getFileName() + ": " + model);
          }
        }
      }
    } catch (IOException e) {
      lines.add("cannot read " + root + ": " + e.getMessage());
    }
    return List.copyOf(lines);
  }

  /** The devices the engine offers, GPUs first. */
  public List<Device> available() {
    return List.of(engine.getDevices());
  }

  /** Engine, libtorch version and flavour and where its natives came from, on one line. */
  public String describe() {
    return String.format(
        "%s %s (%s build of libtorch %s, natives in %s), %d GPU(s) usable",
        engine.getEngineName(),
        engine.getVersion(),
        cudaBuild() ? "CUDA" : "CPU-only",
        libtorchVersion(),
        libtorchPath(),
        gpuCount());
  }

  /** Version of the loaded libtorch, or "unknown" for a non-PyTorch engine. */
  public String libtorchVersion() {
    return "PyTorch".equals(engine.getEngineName()) ? LibUtils.getVersion() : "unknown";
  }

  /** Directory of the loaded libtorch, or "unknown" for a non-PyTorch engine. */
  public String libtorchPath() {
    return "PyTorch".equals(engine.getEngineName()) ? LibUtils.getLibtorchPath() : "unknown";
  }

  /**
   * Refuses devices the engine does not have.
   *
   * @throws IllegalArgumentException naming each missing device and what the engine found
   */
  public void requireAvailable(List<Device> devices) {
    List<String> missing = new ArrayList<>();
    int gpus = gpuCount();
    for (Device device : devices) {
      boolean present =
          device.isGpu()
              ? device.getDeviceId() < gpus
              : Device.Type.CPU.equals(device.getDeviceType()) || available().contains(device);
      if (!present) {
        missing.add(device.toString());
      }
    }
    if (missing.isEmpty()) {
      return;
    }
    StringBuilder message =
        new StringBuilder("device ")
            .append(String.join(", ", missing))
            .append(" not available: the engine is ")
            .append(describe())
            .append(", devices ")
            .append(available());
    if (!cudaBuild()) {
      message.append(
          "; this libtorch has no CUDA (the GPU image sets PYTORCH_LIBRARY_PATH to the CUDA build)");
    } else if (gpus == 0) {
      message.append("; the CUDA build found no GPU (driver, container GPU access)");
    }
    throw new IllegalArgumentException(message.toString());
  }

  /**
   * Turns on cuDNN's autotuner when training runs on a GPU: every step has the same shapes, so
   * the fastest convolution algorithm found at the first step serves every later one. Setting
   * {@value #CUDNN_BENCHMARK_PROPERTY} to {@code false} keeps it off.
   *
   * @return whether it was turned on
   */
  public boolean enableCudnnBenchmarkFor(List<Device> devices) {
    boolean onGpu = devices.stream().anyMatch(Device::isGpu);
    if (!onGpu || !cudaBuild() || "false".equals(System.getProperty(CUDNN_BENCHMARK_PROPERTY))) {
      return false;
    }
    JniUtils.setBenchmarkCuDNN(true);
    LOG.info("cuDNN benchmark mode on (fixed-shape training on {})", devices);
    return true;
  }
}
