package io.rotnet.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.rotnet.devstack.EmbeddedStack;
import io.rotnet.devstack.EmbeddedStackExtension;
import io.rotnet.evaluator.results.ResultsTable;
import io.rotnet.schemas.Topics;
import io.rotnet.schemas.avro.EvalResult;
import io.rotnet.schemas.avro.EvalRow;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The JSON API, the event stream and /metrics against a real broker, bad records included. */
@ExtendWith(EmbeddedStackExtension.class)
class DashboardApiTest {

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @Test
  void servesWhatTheTopicsHoldAndCountsWhatItCannotRead(EmbeddedStack stack) throws Exception {
    Records.createTopics(stack);
    stack.createTopic(Topics.CHECKPOINTS_DLQ.name(), 1);
    DashboardSettings settings = DashboardSettings.defaults(stack.bootstrapServers(), stack.schemaRegistryUrl())
        .withAddress(DashboardSettings.DEFAULT_HOST, 0).withLagEvery(Duration.ofMillis(300));
    EvalResult svm = Records.svm("r1", 40, "voc2007", 60);
    EvalResult knn = Records.result("r1", 40, "knn", "voc2007",
        List.of(new EvalRow("k=20", "top1", 31.5), new EvalRow("k=20", "top5", 70.0)));
    try (Records records = new Records(stack);
        Dashboard dashboard = Dashboard.start(settings);
        // an evaluator group that has read nothing yet: one checkpoint waits for it
        KafkaConsumer<String, byte[]> evaluator = evaluatorGroup(stack, "rotnet-eval-linear-avgpool-voc2007")) {
      assertThat(dashboard.url().getHost()).isEqualTo("127.0.0.1");
      URI base = dashboard.url();
      try (BufferedReader events = openEvents(base)) {
        records.sendMetrics(Records.metrics("r1", 20));
        records.sendGarbage(Topics.METRICS.name(), "r1");
        records.sendMetrics(Records.metrics("r1", 40));
        records.sendCheckpoint(Records.checkpoint("r1", 40));
        records.sendResult(svm);
        records.sendResult(knn);
        records.refuseCheckpoint("rotnet-evaluator/svm/voc2007");
        evaluator.subscribe(List.of(Topics.CHECKPOINTS.name()));
        evaluator.poll(Duration.ofMillis(500)); // joins the group, commits nothing

        // the event stream announces a change without being asked
        assertThat(nextUpdate(events)).isNotNull();
      }

      await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
        evaluator.poll(Duration.ZERO);
        JsonObject state = json(get(base, "/api/state")).getAsJsonObject();
        JsonObject run = state.getAsJsonArray("runs").get(0).getAsJsonObject();
        assertThat(run.get("run").getAsString()).isEqualTo("r1");
        assertThat(longs(run.getAsJsonObject("series").getAsJsonArray("step"))).containsExactly(20L, 40L);
        assertThat(run.getAsJsonArray("checkpoints")).hasSize(1);

        JsonObject health = state.getAsJsonObject("health");
        JsonObject letters = health.getAsJsonArray("deadLetters").get(0).getAsJsonObject();
        assertThat(letters.get("topic").getAsString()).isEqualTo("rotnet.checkpoints.dlq");
        assertThat(letters.get("count").getAsLong()).isEqualTo(1);
        assertThat(letters.getAsJsonArray("latest").get(0).getAsJsonObject().get("reason").getAsString())
            .startsWith("unknown-schema-id");
        // the garbage on rotnet.metrics and the refused event on rotnet.checkpoints, each counted
        assertThat(unreadable(health)).containsEntry("rotnet.metrics", 1L).containsEntry("rotnet.checkpoints", 1L);

        JsonObject lag = group(health, "rotnet-eval-linear-avgpool-voc2007");
        assertThat(lag.get("kind").getAsString()).isEqualTo("evaluator");
        assertThat(lag.get("lag").getAsLong()).isEqualTo(2); // the good event and the refused one
        JsonObject evaluation = health.getAsJsonArray("evaluations").get(0).getAsJsonObject();
        assertThat(evaluation.get("checkpointId").getAsString()).isEqualTo("r1-step-40");
        assertThat(evaluation.get("running").getAsBoolean()).isTrue();

        JsonArray charts = state.getAsJsonArray("benchmarks");
        assertThat(charts).hasSize(2);
        JsonObject svmChart = charts.get(0).getAsJsonObject();
        assertThat(svmChart.get("id").getAsString()).isEqualTo("svm/voc2007/mAP");
        assertThat(svmChart.getAsJsonArray("lines")).hasSize(5); // feature1..5, the best tap is not a line of its own
        assertThat(svmChart.getAsJsonArray("references").get(0).getAsJsonObject().get("value").getAsDouble())
            .isEqualTo(67.70);
      });

      // the table and its downloads are what `rotnet results` prints
      ResultsTable expected = new ResultsTable(List.of(svm, knn), List.of(Records.metrics("r1", 40)));
      assertThat(get(base, "/api/results.csv").body()).isEqualTo(expected.csv());
      assertThat(get(base, "/api/results.json").body()).isEqualTo(expected.json());
      assertThat(get(base, "/api/results.txt").body()).isEqualTo(expected.table());
      assertThat(get(base, "/api/results.csv").headers().firstValue("Content-Disposition"))
          .hasValueSatisfying(v -> assertThat(v).contains("rotnet-results.csv"));
      JsonObject table = json(get(base, "/api/table")).getAsJsonObject();
      assertThat(table.getAsJsonArray("rows").get(0).getAsJsonArray().get(0).getAsString()).isEqualTo("r1-step-40");

      String metrics = get(base, "/metrics").body();
      assertThat(metrics)
          .contains("rotnet_training_images_per_second{run=\"r1\"} 12.5")
          .contains("rotnet_dead_letters{topic=\"rotnet.checkpoints.dlq\"} 1")
          .contains("rotnet_dashboard_unreadable_records{topic=\"rotnet.metrics\"} 1")
          .contains("rotnet_consumer_lag{group=\"rotnet-eval-linear-avgpool-voc2007\",kind=\"evaluator\",topic=\"rotnet.checkpoints\"} 2")
          .contains("rotnet_evaluation_duration_seconds_count{benchmark=\"svm\",dataset=\"voc2007\"} 1")
          .contains("rotnet_evaluation_duration_seconds_sum{benchmark=\"svm\",dataset=\"voc2007\"} 30");
      assertThat(metrics.lines().filter(l -> !l.startsWith("#")))
          .allSatisfy(l -> assertThat(l).startsWith("rotnet_"));

      // read-only, and every script the page loads is served here
      HttpResponse<String> post = http.send(HttpRequest.newBuilder(base.resolve("/api/state"))
          .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(post.statusCode()).isEqualTo(405);
      String page = get(base, "/").body();
      assertThat(page).doesNotContain("http://", "https://");
      for (String asset : List.of("/static/uPlot.iife.min.js", "/static/uPlot.min.css", "/static/app.js",
          "/static/app.css", "/licenses/uplot.txt")) {
        assertThat(page.contains(asset) || asset.startsWith("/licenses")).as(asset).isTrue();
        assertThat(get(base, asset).statusCode()).as(asset).isEqualTo(200);
      }
      assertThat(get(base, "/licenses/uplot.txt").body()).contains("MIT");
    }
  }

  private static KafkaConsumer<String, byte[]> evaluatorGroup(EmbeddedStack stack, String group) {
    return new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
        ConsumerConfig.GROUP_ID_CONFIG, group,
        ConsumerConfig.CLIENT_ID_CONFIG, group + "-" + UUID.randomUUID(),
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
        ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1,
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new ByteArrayDeserializer());
  }

  private BufferedReader openEvents(URI base) throws Exception {
    HttpResponse<java.io.InputStream> response = http.send(HttpRequest.newBuilder(base.resolve("/api/events")).build(),
        HttpResponse.BodyHandlers.ofInputStream());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/event-stream"));
    return new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8));
  }

  /** The data of the first update event whose version is above zero. */
  private static String nextUpdate(BufferedReader events) throws Exception {
    for (String line = events.readLine(); line != null; line = events.readLine()) {
      if (line.startsWith("data: ") && !line.contains("\"version\":0}")) {
        return line;
      }
    }
    return null;
  }

  private HttpResponse<String> get(URI base, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static JsonElement json(HttpResponse<String> response) {
    assertThat(response.statusCode()).isEqualTo(200);
    return JsonParser.parseString(response.body());
  }

  private static List<Long> longs(JsonArray array) {
    return array.asList().stream().map(JsonElement::getAsLong).toList();
  }

  private static Map<String, Long> unreadable(JsonObject health) {
    Map<String, Long> counts = new java.util.TreeMap<>();
    health.getAsJsonArray("unreadable").forEach(e ->
        counts.put(e.getAsJsonObject().get("topic").getAsString(), e.getAsJsonObject().get("count").getAsLong()));
    return counts;
  }

  private static JsonObject group(JsonObject health, String id) {
    for (JsonElement e : health.getAsJsonArray("consumerLag")) {
      if (e.getAsJsonObject().get("group").getAsString().equals(id)) {
        return e.getAsJsonObject();
      }
    }
    throw new AssertionError("no group " + id + " in " + health.getAsJsonArray("consumerLag"));
  }
}
