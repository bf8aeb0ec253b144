package dev.tokendyn.export;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokendyn.cloud.Json;
import dev.tokendyn.metrics.TextMetric;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

/** The report schema defines every per-text metric with the definition the code gives it (one home for each). */
class ReportSchemaTest {
  @Test
  void everyMetricIsDefinedInTheSchemaAsInTheCode() throws Exception {
    JsonNode schema;
    try (InputStream in = ReportSchemaTest.class.getResourceAsStream("/dev/tokendyn/schemas/report.schema.json")) {
      schema = Json.mapper().readTree(in);
    }
    JsonNode model = schema.at("/properties/models/items/properties");
    for (TextMetric m : TextMetric.values()) {
      String where = switch (m.scope()) {
        case LAYER -> "/layers/items/properties/metrics/properties/";
        case TRANSITION -> "/transitions/items/properties/metrics/properties/";
        case SEQUENCE -> "/spreading/properties/";
      };
      JsonNode def = model.at(where + m.jsonName());
      assertThat(def.isMissingNode()).as("%s in the schema (run toolkit/schemas-report.py)", m.jsonName()).isFalse();
      assertThat(def.path("description").asText()).as(m.jsonName()).isEqualTo(m.description());
    }
    assertThat(schema.at("/properties/schema/const").asText()).isEqualTo(Json.schema("report"));
  }
}
