package io.rotnet.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rotnet.devstack.EmbeddedStack;
import io.rotnet.devstack.EmbeddedStackExtension;
import io.rotnet.schemas.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The page in a real browser against the embedded stack: records produced while it is open
 * appear in the charts, the results table and the health panel without a reload, and a bad
 * record on a topic it reads is shown without breaking the page.
 */
@ExtendWith(EmbeddedStackExtension.class)
class DashboardBrowserTest {

  private static final Duration WAIT = Duration.ofSeconds(20);

  @BeforeAll
  static void needsChromium() {
    HeadlessChromium.assumeInstalled();
  }

  @Test
  void updatesLiveAndShowsTheDeadLetterItCaused(EmbeddedStack stack) throws Exception {
    Records.createTopics(stack);
    DashboardSettings settings = DashboardSettings.defaults(stack.bootstrapServers(), stack.schemaRegistryUrl())
        .withAddress(DashboardSettings.DEFAULT_HOST, 0).withLagEvery(Duration.ofMillis(500));
    try (Records records = new Records(stack);
        Dashboard dashboard = Dashboard.start(settings);
        HeadlessChromium chromium = HeadlessChromium.start(1280, 1600)) {
      ChromeDriver page = chromium.driver;
      records.sendMetrics(Records.metrics("r1", 20));
      page.get(dashboard.url().toString());
      await().atMost(WAIT).until(() -> number(page, "return window.rotnet.charts['train-loss'].data[0].length") == 1);
      // a mark on the window that a reload would wipe
      page.executeScript("window.__sameDocument = 'yes'");
      assertThat(page.findElement(By.id("connection")).getText()).isEqualTo("live");

      // training records while the page is open: the loss chart grows
      records.sendMetrics(Records.metrics("r1", 40));
      records.sendCheckpoint(Records.checkpoint("r1", 40));
      records.sendMetrics(Records.metrics("r1", 60));
      await().atMost(WAIT).until(() -> number(page, "return window.rotnet.charts['train-loss'].data[0].length") == 3);
      assertThat(script(page, "return window.rotnet.charts['train-loss'].data[1][2]")).isEqualTo(1.4 - 60 / 1000.0);
      assertThat(page.findElement(By.id("run-summary")).getText()).contains("step 60", "1 checkpoint(s)");
      assertThat(script(page, "return window.rotnet.marks.checkpoints")).isEqualTo(List.of(40L));

      // results arrive: a benchmark chart and a row of the table, then a second checkpoint's
      records.sendResult(Records.svm("r1", 40, "voc2007", 50));
      await().atMost(WAIT).until(() -> rows(page) == 1);
      records.sendResult(Records.svm("r1", 60, "voc2007", 55));
      await().atMost(WAIT).until(() -> rows(page) == 2);
      String chart = "window.rotnet.charts['bench:svm/voc2007/mAP']";
      await().atMost(WAIT).until(() -> number(page, "return " + chart + ".data[0].length") == 2);
      assertThat(script(page, "return " + chart + ".data[0]")).isEqualTo(List.of(40L, 60L));
      // five taps and the seed's 67.70 as a reference line
      assertThat(number(page, "return " + chart + ".series.length")).isEqualTo(1 + 5 + 1);
      assertThat(script(page, "return " + chart + ".data[6][0]")).isEqualTo(67.7);
      assertThat(page.findElement(By.cssSelector("#results-table tbody")).getText()).contains("r1-step-60", "60.00");

      // a refused checkpoint event: its dead letter shows in the health panel with its reason,
      // and garbage on the metrics topic is counted there too
      records.refuseCheckpoint("rotnet-evaluator/svm/voc2007");
      records.sendGarbage(Topics.METRICS.name(), "r1");
      await().atMost(WAIT).untilAsserted(() -> {
        assertThat(page.findElement(By.id("dead-letters")).getText())
            .contains("1 in rotnet.checkpoints.dlq", "rotnet-evaluator/svm/voc2007", "unknown-schema-id");
        assertThat(page.findElement(By.id("unreadable")).getText()).contains("in rotnet.metrics", "not-confluent-framing");
      });

      // the page goes on drawing after the bad records
      records.sendMetrics(Records.metrics("r1", 80));
      await().atMost(WAIT).until(() -> number(page, "return window.rotnet.charts['train-loss'].data[0].length") == 4);
      assertThat(script(page, "return window.__sameDocument")).isEqualTo("yes");
      assertThat(script(page, "return performance.getEntriesByType('navigation').length")).isEqualTo(1L);

      // narrow window: one column, nothing wider than the window
      page.manage().window().setSize(new org.openqa.selenium.Dimension(420, 1200));
      await().atMost(WAIT).until(() ->
          number(page, "return document.documentElement.scrollWidth") <= number(page, "return window.innerWidth"));

      Path shot = Path.of("target", "dashboard-browser-test.png");
      Files.write(shot, page.getScreenshotAs(OutputType.BYTES));
    }
  }

  private static Object script(ChromeDriver page, String js) {
    return page.executeScript(js);
  }

  private static long number(ChromeDriver page, String js) {
    try {
      Object value = page.executeScript(js);
      return value instanceof Number n ? n.longValue() : -1;
    } catch (org.openqa.selenium.JavascriptException e) {
      return -1; // the chart is not drawn yet
    }
  }

  private static long rows(ChromeDriver page) {
    return number(page, "return document.querySelectorAll('#results-table tbody tr').length");
  }
}
