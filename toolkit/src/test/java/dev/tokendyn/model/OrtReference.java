package dev.tokendyn.model;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.io.InputStream;
import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** ONNX Runtime running a catalog model's own ONNX file: the independent reference for the last layer. */
final class OrtReference implements AutoCloseable {
  private final OrtEnvironment env = OrtEnvironment.getEnvironment();
  private final OrtSession session;

  OrtReference(Catalog.Entry entry) throws IOException, OrtException {
    byte[] model;
    try (InputStream in = OrtReference.class.getClassLoader().getResourceAsStream(entry.onnxResource())) {
      model = in.readAllBytes();
    }
    OrtSession.SessionOptions o = new OrtSession.SessionOptions();
    session = env.createSession(model, o);
  }

  /**
   * last_hidden_state for right-padded ids: [B][T*d].
   *
   * @param ids one array per text, of any lengths
   */
  float[][] lastHiddenState(List<long[]> ids, int d) throws OrtException {
    int b = ids.size();
    int t = ids.stream().mapToInt(a -> a.length).max().orElseThrow();
    long[][] in = new long[b][t];
    long[][] mask = new long[b][t];
    long[][] types = new long[b][t];
    for (int i = 0; i < b; i++) {
      System.arraycopy(ids.get(i), 0, in[i], 0, ids.get(i).length);
      for (int j = 0; j < ids.get(i).length; j++) {
        mask[i][j] = 1;
      }
    }
    Map<String, OnnxTensor> feeds = new HashMap<>();
    feeds.put("input_ids", OnnxTensor.createTensor(env, in));
    feeds.put("attention_mask", OnnxTensor.createTensor(env, mask));
    feeds.put("token_type_ids", OnnxTensor.createTensor(env, types));
    try (OrtSession.Result r = session.run(feeds)) {
      OnnxTensor out = (OnnxTensor) r.get(0);
      FloatBuffer fb = out.getFloatBuffer();
      float[][] res = new float[b][t * d];
      for (int i = 0; i < b; i++) {
        fb.get(res[i]);
      }
      return res;
    } finally {
      feeds.values().forEach(OnnxTensor::close);
    }
  }

  @Override
  public void close() throws OrtException {
    session.close();
  }
}
