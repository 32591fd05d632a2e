package io.rotnet.app;

import io.rotnet.app.options.ServiceOptions;
import io.rotnet.evaluator.dataset.DatasetSpec;
import io.rotnet.evaluator.dataset.EvalDataset;
import io.rotnet.evaluator.dataset.Preprocessing;
import io.rotnet.evaluator.features.FeatureCache;
import io.rotnet.evaluator.linear.LinearPreset;
import io.rotnet.evaluator.plugin.BenchmarkPlugin;
import io.rotnet.evaluator.plugin.BenchmarkPlugins;
import io.rotnet.evaluator.plugin.CheckpointEvaluation;
import io.rotnet.evaluator.plugin.PluginContext;
import io.rotnet.evaluator.run.BenchmarkKind;
import io.rotnet.evaluator.run.BenchmarkRunner;
import io.rotnet.evaluator.run.BenchmarkSettings;
import io.rotnet.evaluator.run.CheckpointEvaluator;
import io.rotnet.evaluator.service.EvaluatorService;
import io.rotnet.evaluator.service.EvaluatorServiceSettings;
import io.rotnet.evaluator.service.MetricsProgress;
import io.rotnet.evaluator.service.SplitEvaluatorService;
import io.rotnet.model.Tap;
import io.rotnet.model.checkpoint.CheckpointReader;
import io.rotnet.schemas.Topics;
import io.rotnet.schemas.avro.TrainingMetrics;
import io.rotnet.schemas.serde.AvroSerdes;
import io.rotnet.schemas.serde.SchemaRegistryClient;
import java.time.Duration;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Evaluates every new checkpoint on one benchmark and publishes the results. */
@Command(
    name = "evaluate",
    mixinStandardHelpOptions = true,
    description = {
      "Evaluates every checkpoint announced on rotnet.checkpoints with one benchmark on one dataset"
          + " and publishes one EvalResult per checkpoint to rotnet.eval-results (exactly once).",
      "Instances of the same benchmark and dataset share the work (consumer group"
          + " rotnet-eval-<benchmark>-<dataset>); checkpoints that fail verification go to"
          + " rotnet.checkpoints.dlq. Runs until stopped (SIGTERM, Ctrl-C)."
    })
public final class EvaluateCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin ServiceOptions service;

  @Option(names = "--benchmark", required = true, paramLabel = "NAME",
      description = "svm, lowshot-svm, linear-mhead, linear-avgpool, knn, the cached approximations"
          + " linear-mhead-cached and linear-avgpool-cached, or a plugged-in benchmark (segmentation-voc).")
  String benchmark;

  @Option(names = "--dataset", required = true, paramLabel = "[NAME=]FORMAT:PATH",
      description = "e.g. voc07:/data/VOCdevkit/VOC2007, imagenet=imagefolder:/data/imagenet,"
          + " fashion-mnist=idx:data/fashion-mnist-mini.")
  String dataset;

  @Option(names = "--checkpoint-root", required = true, paramLabel = "DIR",
      description = "Directory the trainer writes checkpoints to; checkpoints outside it are refused.")
  Path checkpointRoot;

  @Option(names = "--latest-only", description = "When several checkpoints of a run wait, evaluate only the newest.")
  boolean latestOnly;

  @Option(names = "--every", paramLabel = "STEPS", defaultValue = "1",
      description = "Evaluate only checkpoints whose step is a multiple of STEPS (default: ${DEFAULT-VALUE},"
          + " every checkpoint); with --latest-only, the newest of those.")
  long everySteps;

  @Option(names = "--cache-dir", paramLabel = "DIR",
      defaultValue = "${sys:java.io.tmpdir}/rotnet-features",
      description = "Feature cache shared by the evaluators of this machine (default: ${DEFAULT-VALUE}).")
  Path cacheDir;

  @Option(names = "--max-train", paramLabel = "N", defaultValue = "0",
      description = "Use a seeded random subset of N training images (default: all).")
  int maxTrain;

  @Option(names = "--max-test", paramLabel = "N", defaultValue = "0",
      description = "Use a seeded random subset of N test images (default: all).")
  int maxTest;

  @Option(names = "--taps", split = ",", paramLabel = "TAP",
      description = "Taps to evaluate (feature1..feature5, avgpool; default: the protocol's).")
  List<String> taps;

  @Option(names = "--epochs", paramLabel = "N", defaultValue = "0",
      description = "Epochs of the linear probes (default 0: the protocol's 90 for linear-mhead, 100 for linear-avgpool).")
  int epochs;

  @Option(names = "--costs", split = ",", paramLabel = "C",
      description = "SVM cost grid (default: the reference's 1,10,100 and 0.5^4..0.5^19).")
  double[] costs;

  @Option(names = "--shots", split = ",", paramLabel = "K",
      description = "Low-shot k values (default: 1,2,4,8,16,32,64,96).")
  int[] shots;

  @Option(names = "--lowshot-samples", paramLabel = "DIR",
      description = "lowshot-svm trains on the reference's sample files in DIR (<prefix>_sample<S>_k<K>.json of"
          + " create_voc_low_shot_challenge_samples.py) instead of its own seeded draws.")
  Path lowShotSamples;

  @Option(names = "--samples", paramLabel = "N", defaultValue = "5",
      description = "Low-shot samples per k (default: ${DEFAULT-VALUE}).")
  int samples;

  @Option(names = "--ks", split = ",", paramLabel = "K",
      description = "kNN neighbour counts (default: 10,20,100,200).")
  int[] ks;

  @Option(names = "--extract-all-taps",
      description = "When features must be extracted, extract every tap in the same pass, so that the"
          + " other benchmarks of this machine find them cached.")
  boolean extractAllTaps;

  @Option(names = "--knn-java-search",
      description = "Search kNN neighbours with the plain Java loops instead of the engine's matrix product.")
  boolean knnJavaSearch;

  @Option(names = "--batch-size", paramLabel = "N", defaultValue = "64",
      description = "Images per inference batch when extracting features (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(names = "--input-size", paramLabel = "PX", defaultValue = "0",
      description = "Crop side of the evaluation view (default 0: the checkpoint's training input size).")
  int inputSize;

  @Option(names = "--threads", paramLabel = "N", defaultValue = "0",
      description = "Worker threads of the benchmark (default 0: all cores).")
  int threads;

  @Option(names = "--seed", paramLabel = "N", defaultValue = "0", description = "Seed of draws and initialisations.")
  long seed;

  @Option(names = "--preset", paramLabel = "NAME",
      description = "Protocol of linear-mhead / linear-avgpool: imagenet-mhead-90e, imagenet-avgpool-100e,"
          + " places205-mhead-28e, demo-mhead-6e or demo-avgpool-6e (default: imagenet-mhead-90e or"
          + " imagenet-avgpool-100e).")
  String preset;

  @Option(names = "--state-dir", paramLabel = "DIR",
      defaultValue = "${sys:java.io.tmpdir}/rotnet-evaluator-state",
      description = "Where linear-mhead / linear-avgpool save their progress every epoch and resume from;"
          + " share it between the instances of a group (default: ${DEFAULT-VALUE}).")
  Path stateDir;

  @Option(names = "--save-every", paramLabel = "STEPS", defaultValue = "500",
      description = "linear-mhead / linear-avgpool also save their progress every STEPS steps (default: ${DEFAULT-VALUE}).")
  int saveEvery;

  @Option(names = "--checkpoints-topic", paramLabel = "TOPIC", defaultValue = "rotnet.checkpoints",
      description = "Topic of checkpoint events (default: ${DEFAULT-VALUE}).")
  String checkpointsTopic;

  @Option(names = "--results-topic", paramLabel = "TOPIC", defaultValue = "rotnet.eval-results",
      description = "Topic of results (default: ${DEFAULT-VALUE}).")
  String resultsTopic;

  @Option(names = "--cache-keep", paramLabel = "N", defaultValue = "" + FeatureCache.DEFAULT_KEEP_CHECKPOINTS,
      description = "Keep the cached features of the N most recently used checkpoints, delete older ones"
          + " (default: ${DEFAULT-VALUE}; 0 keeps all).")
  int cacheKeep;

  @Option(names = "--split-tasks",
      description = "Split each checkpoint's work into tasks (svm per tap, lowshot-svm per tap and k, knn per"
          + " train shard) that every instance of the group takes; use it on all instances of the group or on none.")
  boolean splitTasks;

  @Option(names = "--knn-train-tasks", paramLabel = "N", defaultValue = "1",
      description = "With --split-tasks, split knn's train bank into N tasks: each instance extracts and searches"
          + " its shards' rows, and the merged top-k lists are voted on once (default: ${DEFAULT-VALUE}).")
  int knnTrainTasks;

  @Option(names = "--architecture", paramLabel = "ARCH",
      description = "Refuse (dead-letter) checkpoints of any other architecture, e.g. resnet50 (default: take any).")
  String architecture;

  @Option(names = "--param", paramLabel = "KEY=VALUE",
      description = "A plugged-in benchmark's own setting, e.g. preset=voc12aug-fcn-r50-d8-20k (repeatable).")
  Map<String, String> params = new LinkedHashMap<>();

  @Option(names = "--work-dir", paramLabel = "DIR",
      defaultValue = "${sys:java.io.tmpdir}/rotnet-work",
      description = "Where a plugged-in benchmark keeps its state, e.g. fine-tuning to resume (default: ${DEFAULT-VALUE}).")
  Path workDir;

  @Override
  public Integer call() throws Exception {
    Optional<BenchmarkPlugin> plugin = BenchmarkKind.isKnown(benchmark) ? Optional.empty() : BenchmarkPlugins.find(benchmark);
    if (plugin.isPresent()) {
      // fine-tunes report their progress as runs of their own on the metrics topic
      try (KafkaProducer<String, TrainingMetrics> metrics = new KafkaProducer<>(
          Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, service.bootstrapServers,
              ProducerConfig.CLIENT_ID_CONFIG, "evaluator-" + benchmark + "-progress",
              ProducerConfig.MAX_BLOCK_MS_CONFIG, 5000), // a missing topic must not stall the fine-tune
          new StringSerializer(),
          AvroSerdes.serializer(Topics.METRICS, new SchemaRegistryClient(service.schemaRegistryUrl)))) {
        PluginContext context = new PluginContext(checkpointRoot, dataset, workDir, params, seed, threads,
            new MetricsProgress(metrics, Topics.METRICS.name()));
        return runService(plugin.get().open(context),
            "evaluating with " + plugin.get().name() + " " + params + " on " + dataset);
      }
    }
    BenchmarkKind kind = BenchmarkKind.parse(benchmark);
    LinearPreset linearPreset = preset == null ? null : LinearPreset.require(preset);
    if (linearPreset != null && !kind.streamedLinear()) {
      throw new IllegalArgumentException("--preset applies to linear-mhead and linear-avgpool, not " + kind.label());
    }
    int trainLimit = maxTrain == 0 && linearPreset != null ? linearPreset.maxTrain() : maxTrain;
    int testLimit = maxTest == 0 && linearPreset != null ? linearPreset.maxTest() : maxTest;
    EvalDataset data = DatasetSpec.parse(dataset).withLimits(trainLimit, testLimit).open();
    BenchmarkSettings settings = benchmarkSettings(kind);
    CheckpointEvaluator.Builder evaluator = CheckpointEvaluator.builder()
        .setReader(new CheckpointReader(checkpointRoot))
        .setDataset(data)
        .setRunner(new BenchmarkRunner(settings, lowShotSamples))
        .setCache(new FeatureCache(cacheDir, cacheKeep))
        .optBatchSize(batchSize)
        .optExpectedArchitecture(architecture)
        .optLinearPreset(linearPreset)
        .optStateDir(stateDir, saveEvery);
    if (extractAllTaps) {
      evaluator.optAlsoExtract(EnumSet.allOf(Tap.class));
    }
    if (inputSize > 0) {
      evaluator.optView(Preprocessing.forDataset(data, inputSize));
    }
    Object described = kind.streamedLinear()
        ? kind.label() + " " + (linearPreset != null ? linearPreset : "(protocol preset)") : settings;
    return runService(evaluator.build(), String.format(Locale.ROOT, "evaluating with %s on %s (%d train / %d test images)",
        described, data.name(), data.train().size(), data.test().size()));
  }

  private int runService(CheckpointEvaluation evaluation, String banner) throws Exception {
    String group = EvaluatorServiceSettings.groupIdOf(evaluation.benchmark(), evaluation.datasetName());
    EvaluatorServiceSettings kafka = EvaluatorServiceSettings.defaults(
            service.bootstrapServers, evaluation.benchmark(), evaluation.datasetName())
        .withLatestOnly(latestOnly)
        .withEverySteps(everySteps)
        .withTopics(checkpointsTopic, resultsTopic);
    spec.commandLine().getOut().printf("%s, group %s%n", banner, group);
    spec.commandLine().getOut().flush();
    SchemaRegistryClient registry = new SchemaRegistryClient(service.schemaRegistryUrl);
    if (splitTasks) {
      if (everySteps > 1) {
        throw new IllegalArgumentException("--every applies to whole-checkpoint evaluation, not with --split-tasks");
      }
      if (!(evaluation instanceof CheckpointEvaluator builtIn)) {
        throw new IllegalArgumentException("--split-tasks applies to the built-in benchmarks, not " + evaluation.benchmark());
      }
      SplitEvaluatorService split = new SplitEvaluatorService(kafka, builtIn, registry,
          SplitEvaluatorService.DEFAULT_TASK_PARTITIONS);
      try (StopOnSignal signal = StopOnSignal.install("rotnet-evaluate", split::close, Duration.ofSeconds(60))) {
        split.run();
      }
      return 0;
    }
    EvaluatorService evaluatorService = new EvaluatorService(kafka, evaluation, registry);
    try (StopOnSignal signal =
        StopOnSignal.install("rotnet-evaluate", evaluatorService::close, Duration.ofSeconds(60))) {
      evaluatorService.run();
    }
    return 0;
  }

  private BenchmarkSettings benchmarkSettings(BenchmarkKind kind) {
    BenchmarkSettings settings = BenchmarkSettings.defaults(kind);
    if (taps != null && !taps.isEmpty()) {
      Set<Tap> chosen = EnumSet.noneOf(Tap.class);
      for (String tap : taps) {
        try {
          chosen.add(Tap.valueOf(tap.trim().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("unknown tap '" + tap + "' (feature1..feature5, avgpool)", e);
        }
      }
      settings = settings.withTaps(chosen);
    }
    if (epochs > 0) {
      settings = settings.withLinearEpochs(epochs);
    }
    if (costs != null) {
      settings = settings.withCosts(costs);
    }
    if (shots != null || samples != 5) {
      settings = settings.withLowShot(shots != null ? shots : settings.lowShotShots(), samples);
    }
    if (ks != null) {
      settings = settings.withKnnKs(ks);
    }
    if (threads > 0) {
      settings = settings.withThreads(threads);
    }
    if (knnJavaSearch) {
      settings = settings.withKnnOnEngine(false);
    }
    if (knnTrainTasks != 1) {
      if (!splitTasks || kind != BenchmarkKind.KNN) {
        throw new IllegalArgumentException("--knn-train-tasks applies to --benchmark knn with --split-tasks");
      }
      settings = settings.withKnnTrainTasks(knnTrainTasks);
    }
    return settings.withSeed(seed);
  }
}
