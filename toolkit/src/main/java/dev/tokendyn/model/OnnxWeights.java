package dev.tokendyn.model;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.tokendyn.model.onnx.OnnxProto.AttributeProto;
import dev.tokendyn.model.onnx.OnnxProto.GraphProto;
import dev.tokendyn.model.onnx.OnnxProto.ModelProto;
import dev.tokendyn.model.onnx.OnnxProto.NodeProto;
import dev.tokendyn.model.onnx.OnnxProto.TensorProto;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The weights of a BERT encoder exported to ONNX, under their Hugging Face parameter names, read with
 * the ONNX protobuf schema ({@code onnx.proto}).
 *
 * <p>Embeddings, biases and LayerNorms are initializers that already carry BERT names. Each dense weight
 * is an anonymous initializer ({@code onnx::MatMul_787}) that feeds exactly one {@code MatMul} node
 * named after its module ({@code /encoder/layer.3/attention/self/query/MatMul}); it is stored [in, out],
 * the transpose of PyTorch's {@code Linear.weight}, and is kept that way under the name
 * {@code encoder.layer.3.attention.self.query.weight}. The LayerNorm epsilon and the number of heads are
 * read from the graph's constants.
 */
public final class OnnxWeights {
  private static final Pattern MATMUL_NODE = Pattern.compile("^/?(.+)/MatMul(?:_\\d+)?$");

  private final Map<String, Tensor> tensors;
  private final double layerNormEps;
  private final OptionalInt heads;

  private OnnxWeights(Map<String, Tensor> tensors, double layerNormEps, OptionalInt heads) {
    this.tensors = tensors;
    this.layerNormEps = layerNormEps;
    this.heads = heads;
  }

  /** The float weights by BERT parameter name; dense weights are [in, out]. */
  public Map<String, Tensor> tensors() {
    return tensors;
  }

  /** The epsilon of the graph's LayerNorms (the constant added to the variance). */
  public double layerNormEps() {
    return layerNormEps;
  }

  /** The number of attention heads, from the constants that reshape the queries, when found. */
  public OptionalInt heads() {
    return heads;
  }

  /**
   * Reads an ONNX model.
   *
   * @param in the file's bytes; read to the end, not closed
   * @param source the file's name, for messages
   * @throws ModelException when the file is not a well-formed ONNX model, or a dense weight cannot be
   *     attributed to exactly one named node
   */
  public static OnnxWeights read(InputStream in, String source) throws ModelException {
    ModelProto model;
    try {
      CodedInputStream cin = CodedInputStream.newInstance(in);
      cin.setSizeLimit(Integer.MAX_VALUE);
      model = ModelProto.parseFrom(cin);
    } catch (InvalidProtocolBufferException e) {
      throw new ModelException(source + ": not a readable ONNX model (" + e.getMessage()
          + "); the file is truncated or corrupt", e);
    } catch (IOException e) {
      throw new ModelException(source + ": cannot read: " + e.getMessage(), e);
    }
    GraphProto g = model.getGraph();
    if (g.getInitializerCount() == 0) {
      throw new ModelException(source + ": the ONNX graph holds no weights; the file is truncated, corrupt or not a model");
    }
    Map<String, List<NodeProto>> consumers = new HashMap<>();
    Map<String, NodeProto> producer = new HashMap<>();
    for (NodeProto n : g.getNodeList()) {
      for (String i : n.getInputList()) {
        consumers.computeIfAbsent(i, k -> new java.util.ArrayList<>()).add(n);
      }
      for (String o : n.getOutputList()) {
        producer.put(o, n);
      }
    }
    Map<String, Tensor> out = new LinkedHashMap<>();
    for (TensorProto t : g.getInitializerList()) {
      if (t.getDataType() != TensorProto.DataType.FLOAT_VALUE) {
        continue; // integer buffers such as position_ids are not weights
      }
      if (t.getDataLocation() != 0) {
        throw new ModelException(source + ": initializer " + t.getName()
            + " is stored in an external data file, which tokendyn does not read; export the model with its weights inside");
      }
      String name = t.getName();
      if (name.startsWith("onnx::")) {
        List<NodeProto> users = consumers.getOrDefault(name, List.of());
        if (users.size() != 1 || !users.get(0).getOpType().equals("MatMul")) {
          throw new ModelException(source + ": weight " + name + " feeds " + users.size()
              + " nodes; expected exactly one MatMul node that names its module");
        }
        Matcher m = MATMUL_NODE.matcher(users.get(0).getName());
        if (!m.matches()) {
          throw new ModelException(source + ": weight " + name + " feeds node '" + users.get(0).getName()
              + "', whose name does not say which module it belongs to");
        }
        name = m.group(1).replace('/', '.') + ".weight";
      }
      if (out.containsKey(name)) {
        throw new ModelException(source + ": two initializers map to the parameter " + name);
      }
      out.put(name, new Tensor(name, dims(t), floats(t, source)));
    }
    return new OnnxWeights(out, epsilon(g, producer), heads(g, producer));
  }

  private static long[] dims(TensorProto t) {
    long[] d = new long[t.getDimsCount()];
    for (int i = 0; i < d.length; i++) {
      d[i] = t.getDims(i);
    }
    return d;
  }

  private static float[] floats(TensorProto t, String source) throws ModelException {
    long count = 1;
    for (long d : dims(t)) {
      count *= d;
    }
    if (!t.getRawData().isEmpty()) {
      if (t.getRawData().size() != count * 4) {
        throw new ModelException(source + ": initializer " + t.getName() + " has " + t.getRawData().size()
            + " bytes but its shape needs " + count * 4 + "; the file is corrupt");
      }
      float[] f = new float[(int) count];
      t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(f);
      return f;
    }
    if (t.getFloatDataCount() != count) {
      throw new ModelException(source + ": initializer " + t.getName() + " has " + t.getFloatDataCount()
          + " values but its shape needs " + count + "; the file is corrupt");
    }
    float[] f = new float[(int) count];
    for (int i = 0; i < f.length; i++) {
      f[i] = t.getFloatData(i);
    }
    return f;
  }

  /** The scalar of a Constant node, or NaN when the node is not a numeric scalar constant. */
  private static double constant(NodeProto n) {
    if (n == null || !n.getOpType().equals("Constant")) {
      return Double.NaN;
    }
    for (AttributeProto a : n.getAttributeList()) {
      if (a.getName().equals("value") && a.hasT()) {
        TensorProto t = a.getT();
        ByteBuffer raw = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        switch (t.getDataType()) {
          case TensorProto.DataType.FLOAT_VALUE:
            return raw.remaining() >= 4 ? raw.getFloat(0) : t.getFloatDataCount() > 0 ? t.getFloatData(0) : Double.NaN;
          case TensorProto.DataType.INT64_VALUE:
            return raw.remaining() >= 8 ? raw.getLong(0) : t.getInt64DataCount() > 0 ? t.getInt64Data(0) : Double.NaN;
          case TensorProto.DataType.DOUBLE_VALUE:
            return raw.remaining() >= 8 ? raw.getDouble(0) : t.getDoubleDataCount() > 0 ? t.getDoubleData(0) : Double.NaN;
          default:
            return Double.NaN;
        }
      }
    }
    return Double.NaN;
  }

  /**
   * The epsilon of the first LayerNorm: either the attribute of a fused LayerNormalization node, or the
   * constant added to the variance, ReduceMean(Pow(x - mean, 2)) + eps, in a decomposed one.
   */
  private static double epsilon(GraphProto g, Map<String, NodeProto> producer) throws ModelException {
    for (NodeProto n : g.getNodeList()) {
      if (n.getOpType().equals("LayerNormalization")) {
        for (AttributeProto a : n.getAttributeList()) {
          if (a.getName().equals("epsilon")) {
            return a.getF();
          }
        }
        return 1e-5; // the operator's default
      }
      if (n.getOpType().equals("Add") && n.getInputCount() == 2) {
        NodeProto a = producer.get(n.getInput(0));
        NodeProto b = producer.get(n.getInput(1));
        if (a != null && a.getOpType().equals("ReduceMean") && a.getInputCount() > 0) {
          NodeProto pow = producer.get(a.getInput(0));
          double eps = constant(b);
          if (pow != null && pow.getOpType().equals("Pow") && eps > 0) {
            return eps;
          }
        }
      }
    }
    throw new ModelException("the ONNX graph has no recognisable LayerNorm; only BERT-family encoders are supported");
  }

  /** Heads from the first Concat of four parts whose last two are constants h and d/h, as in the head split. */
  private static OptionalInt heads(GraphProto g, Map<String, NodeProto> producer) {
    for (NodeProto n : g.getNodeList()) {
      if (n.getOpType().equals("Concat") && n.getInputCount() == 4) {
        double h = constant(producer.get(n.getInput(2)));
        double dh = constant(producer.get(n.getInput(3)));
        if (h >= 1 && dh >= 1 && h == Math.rint(h) && dh == Math.rint(dh)) {
          return OptionalInt.of((int) h);
        }
      }
    }
    return OptionalInt.empty();
  }
}
