package dev.tokendyn.cloud;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * NumPy {@code .npy} arrays of floating point numbers (format versions 1.0, 2.0 and 3.0).
 *
 * <p>Reads {@code float64} and {@code float32} in either byte order, C or Fortran order, and returns
 * the data in C order as doubles. Writes little-endian {@code float64} in C order, version 1.0, which
 * {@code numpy.load} reads as is.
 */
public final class Npy {
  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
  private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
  private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

  private Npy() {}

  /** Checks that the extents are non-negative and hold exactly {@code length} values. */
  private static void checkShape(int[] shape, int length) {
    long count = 1;
    for (int s : shape) {
      if (s < 0) {
        throw new IllegalArgumentException("negative extent in shape " + java.util.Arrays.toString(shape));
      }
      count *= s;
    }
    if (count != length) {
      throw new IllegalArgumentException(
          "shape " + java.util.Arrays.toString(shape) + " needs " + count + " values, found " + length);
    }
  }

  /** An array: its shape and its values in C (row-major) order. */
  public record Array(int[] shape, double[] data) {
    public Array {
      checkShape(shape, data.length);
    }
  }

  /**
   * Reads an array.
   *
   * @throws IOException naming the path when the file is missing, truncated or not a float array
   */
  public static Array read(Path path) throws IOException {
    try (InputStream in = new java.io.BufferedInputStream(Files.newInputStream(path), 1 << 16)) {
      return read(in, path.toString());
    }
  }

  static Array read(InputStream in, String name) throws IOException {
    byte[] magic = in.readNBytes(6);
    if (magic.length < 6 || !java.util.Arrays.equals(magic, MAGIC)) {
      throw new IOException(name + ": not a NumPy .npy file (bad magic string)");
    }
    int major = in.read();
    int minor = in.read();
    if (major < 1 || major > 3 || minor < 0) {
      throw new IOException(name + ": unsupported .npy format version " + major + "." + minor);
    }
    int lenBytes = major == 1 ? 2 : 4;
    byte[] lb = in.readNBytes(lenBytes);
    if (lb.length < lenBytes) {
      throw new IOException(name + ": truncated .npy header");
    }
    ByteBuffer lbuf = ByteBuffer.wrap(lb).order(ByteOrder.LITTLE_ENDIAN);
    long headerLen = major == 1 ? Short.toUnsignedInt(lbuf.getShort()) : Integer.toUnsignedLong(lbuf.getInt());
    if (headerLen > 1 << 20) {
      throw new IOException(name + ": .npy header of " + headerLen + " bytes is implausible");
    }
    byte[] hb = in.readNBytes((int) headerLen);
    if (hb.length < headerLen) {
      throw new IOException(name + ": truncated .npy header");
    }
    String header = new String(hb, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
    String descr = group(DESCR, header, name, "descr");
    boolean fortran = group(FORTRAN, header, name, "fortran_order").equals("True");
    int[] shape = parseShape(group(SHAPE, header, name, "shape"), name);

    if (descr.length() < 2) {
      throw new IOException(name + ": unsupported dtype '" + descr + "'; save the array as float64 or float32");
    }
    ByteOrder order;
    char endian = descr.charAt(0);
    if (endian == '<' || endian == '|' || endian == '=') {
      order = ByteOrder.LITTLE_ENDIAN;
    } else if (endian == '>') {
      order = ByteOrder.BIG_ENDIAN;
    } else {
      throw new IOException(name + ": unsupported dtype '" + descr + "'");
    }
    String kind = descr.substring(1);
    int itemSize;
    if (kind.equals("f8")) {
      itemSize = 8;
    } else if (kind.equals("f4")) {
      itemSize = 4;
    } else {
      throw new IOException(name + ": dtype '" + descr + "' is not supported; save the array as float64 or float32"
          + " (numpy: a.astype(np.float64))");
    }
    long count = 1;
    for (int s : shape) {
      // each extent is >= 0 (parseShape), so the product only grows; stop before it can overflow
      count *= s;
      if (count > Integer.MAX_VALUE) {
        break;
      }
    }
    if (count * itemSize > Integer.MAX_VALUE - 16) {
      throw new IOException(name + ": an array of shape " + java.util.Arrays.toString(shape) + " (" + itemSize
          + "-byte values) is too large; tokendyn reads arrays of up to 2 GiB");
    }
    byte[] body = in.readNBytes((int) (count * itemSize));
    if (body.length < count * itemSize) {
      throw new IOException(name + ": truncated .npy data: expected " + count * itemSize + " bytes for shape "
          + java.util.Arrays.toString(shape) + ", found " + body.length);
    }
    ByteBuffer buf = ByteBuffer.wrap(body).order(order);
    double[] data = new double[(int) count];
    if (itemSize == 8) {
      buf.asDoubleBuffer().get(data);
    } else {
      java.nio.FloatBuffer fb = buf.asFloatBuffer();
      for (int i = 0; i < data.length; i++) {
        data[i] = fb.get(i);
      }
    }
    if (fortran && shape.length > 1) {
      data = fortranToC(data, shape);
    }
    return new Array(shape, data);
  }

  private static double[] fortranToC(double[] f, int[] shape) {
    double[] c = new double[f.length];
    int rank = shape.length;
    int[] idx = new int[rank];
    for (int ci = 0; ci < c.length; ci++) {
      // index of ci in C order, then its offset in Fortran order
      int rem = ci;
      for (int a = rank - 1; a >= 0; a--) {
        idx[a] = rem % shape[a];
        rem /= shape[a];
      }
      int fi = 0;
      for (int a = rank - 1; a >= 0; a--) {
        fi = fi * shape[a] + idx[a];
      }
      c[ci] = f[fi];
    }
    return c;
  }

  private static String group(Pattern p, String header, String name, String key) throws IOException {
    Matcher m = p.matcher(header);
    if (!m.find()) {
      throw new IOException(name + ": .npy header has no '" + key + "': " + header.strip());
    }
    return m.group(1);
  }

  private static int[] parseShape(String s, String name) throws IOException {
    List<Integer> dims = new ArrayList<>();
    for (String part : s.split(",")) {
      String t = part.strip();
      if (!t.isEmpty()) {
        int dim;
        try {
          dim = Integer.parseInt(t.endsWith("L") ? t.substring(0, t.length() - 1) : t);
        } catch (NumberFormatException e) {
          throw new IOException(name + ": bad shape (" + s + ") in .npy header; extents must be integers below 2^31");
        }
        if (dim < 0) {
          throw new IOException(name + ": bad shape (" + s + ") in .npy header; extents must be >= 0");
        }
        dims.add(dim);
      }
    }
    return dims.stream().mapToInt(Integer::intValue).toArray();
  }

  /**
   * Writes an array as little-endian float64 in C order, atomically.
   *
   * @param shape the extents; their product must equal data.length
   * @param data values in C order; not modified
   */
  public static void write(Path path, int[] shape, double[] data) throws IOException {
    Array a = new Array(shape.clone(), data);
    AtomicFiles.write(path, out -> write(out, a.shape(), a.data()));
  }

  /**
   * Writes an array as little-endian float32 in C order, atomically: half the size of float64, and the
   * precision of a model's activations.
   *
   * @param shape the extents; their product must equal data.length
   * @param data values in C order; not modified
   */
  public static void writeFloat32(Path path, int[] shape, float[] data) throws IOException {
    checkShape(shape, data.length);
    AtomicFiles.write(path, out -> {
      out.write(header(shape, "<f4"));
      ByteBuffer buf = ByteBuffer.allocate(4 * 8192).order(ByteOrder.LITTLE_ENDIAN);
      for (float v : data) {
        if (!buf.hasRemaining()) {
          out.write(buf.array(), 0, buf.position());
          buf.clear();
        }
        buf.putFloat(v);
      }
      out.write(buf.array(), 0, buf.position());
    });
  }

  /** The magic string, version 1.0 and the padded header dictionary. */
  private static byte[] header(int[] shape, String descr) {
    StringBuilder sh = new StringBuilder();
    for (int s : shape) {
      sh.append(s).append(", ");
    }
    if (shape.length > 1) {
      sh.setLength(sh.length() - 2);
    } else if (shape.length == 1) {
      sh.setLength(sh.length() - 1);
    }
    String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (" + sh + "), }";
    int unpadded = MAGIC.length + 2 + 2 + dict.length() + 1;
    int pad = (64 - unpadded % 64) % 64;
    String header = dict + " ".repeat(pad) + "\n";
    java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
    b.writeBytes(MAGIC);
    b.write(1);
    b.write(0);
    b.write(header.length() & 0xff);
    b.write((header.length() >>> 8) & 0xff);
    b.writeBytes(header.getBytes(StandardCharsets.ISO_8859_1));
    return b.toByteArray();
  }

  static void write(OutputStream out, int[] shape, double[] data) throws IOException {
    StringBuilder sh = new StringBuilder();
    for (int s : shape) {
      sh.append(s).append(", ");
    }
    if (shape.length > 1) {
      sh.setLength(sh.length() - 2);
    } else if (shape.length == 1) {
      sh.setLength(sh.length() - 1);
    }
    String dict = "{'descr': '<f8', 'fortran_order': False, 'shape': (" + sh + "), }";
    int unpadded = MAGIC.length + 2 + 2 + dict.length() + 1;
    int pad = (64 - unpadded % 64) % 64;
    String header = dict + " ".repeat(pad) + "\n";
    out.write(MAGIC);
    out.write(1);
    out.write(0);
    int hl = header.length();
    out.write(hl & 0xff);
    out.write((hl >>> 8) & 0xff);
    out.write(header.getBytes(StandardCharsets.ISO_8859_1));
    ByteBuffer buf = ByteBuffer.allocate(8 * 4096).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < data.length; i++) {
      if (!buf.hasRemaining()) {
        out.write(buf.array(), 0, buf.position());
        buf.clear();
      }
      buf.putDouble(data[i]);
    }
    out.write(buf.array(), 0, buf.position());
  }
}
