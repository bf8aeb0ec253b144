package dev.tokendyn.cli;

import dev.tokendyn.cloud.CloudFiles;
import dev.tokendyn.cloud.CloudSequence;
import dev.tokendyn.cloud.Json;
import dev.tokendyn.cloud.TokenCloud;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reading the user's input files, where a failure is a usage error (exit 2) that names the option and the
 * file. {@code -} reads standard input where a command says so.
 */
public final class Inputs {
  private Inputs() {}

  static TokenCloud cloud(Path path, String what) {
    requireFile(path, what, false);
    try {
      return CloudFiles.readCloud(path);
    } catch (IOException e) {
      throw new UsageException("cannot read " + what + ": " + e.getMessage(), e);
    }
  }

  static CloudSequence sequence(Path path, String what) {
    try {
      if (Outputs.isStdout(path)) {
        return CloudSequence.pool(CloudFiles.sequencesFromJson(Json.readTree(stdin(what), "standard input"), null)
            .stream().map(dev.tokendyn.cloud.TextSequence::layers).toList());
      }
      requireFile(path, what, true);
      return CloudFiles.readSequence(path);
    } catch (IOException | IllegalArgumentException e) {
      throw new UsageException("cannot read " + what + ": " + e.getMessage(), e);
    }
  }

  /** One sequence per text: the texts of an extraction, or the single sequence a file holds. */
  static List<CloudSequence> sequences(Path path, String what) {
    requireFile(path, what, true);
    try {
      return CloudFiles.readSequences(path);
    } catch (IOException e) {
      throw new UsageException("cannot read " + what + ": " + e.getMessage(), e);
    }
  }

  /** A 1-D or 2-D numeric array (.npy or JSON), as {@code ot --a} and {@code --cost-matrix} take. */
  static dev.tokendyn.cloud.Npy.Array array(Path path, String option) {
    requireFile(path, option + " " + path, false);
    try {
      return CloudFiles.readArray(path);
    } catch (IOException e) {
      throw new UsageException("cannot read " + option + " " + path + ": " + e.getMessage(), e);
    }
  }

  /** A weight vector of {@code n} entries, for {@code what} (named in the message when the length is wrong). */
  static double[] weights(Path path, String option, int n, String what) {
    dev.tokendyn.cloud.Npy.Array a = array(path, option);
    if (a.shape().length != 1 && !(a.shape().length == 2 && (a.shape()[0] == 1 || a.shape()[1] == 1))) {
      throw new UsageException(option + " " + path + " must be a vector, found shape "
          + java.util.Arrays.toString(a.shape()));
    }
    if (a.data().length != n) {
      throw new UsageException(option + " " + path + " has " + a.data().length + " weights for " + n + " " + what);
    }
    return a.data();
  }

  /** The cost matrix of an (n, m) array; a negative or non-finite entry is a usage error. */
  static dev.tokendyn.transport.CostMatrix costMatrix(dev.tokendyn.cloud.Npy.Array a, Path path) {
    try {
      return dev.tokendyn.transport.CostMatrix.ofFlat(a.shape()[0], a.shape()[1], a.data());
    } catch (IllegalArgumentException e) {
      throw new UsageException("--cost-matrix " + path + ": " + e.getMessage(), e);
    }
  }

  /**
   * Refuses, naming the option, a path that is missing, a folder where a file is needed, or a pipe or
   * device (the readers need a file they can open twice; {@code -} reads standard input where offered).
   */
  static void requireFile(Path path, String what, boolean folderToo) {
    if (Files.isRegularFile(path) || folderToo && Files.isDirectory(path)) {
      return;
    }
    if (Files.isDirectory(path)) {
      throw new UsageException("cannot read " + what + ": it is a folder; give a file");
    }
    if (Files.exists(path)) {
      throw new UsageException("cannot read " + what + ": not a regular file (a pipe, a device or a socket); save it"
          + " to a file first");
    }
    throw new UsageException("cannot read " + what + ": no such file" + (folderToo ? " or folder" : ""));
  }

  /** Refuses an output folder that is a file, or that is not empty without {@code --force}. */
  public static void checkOutputFolder(Path out, boolean replace) {
    if (Files.exists(out) && !Files.isDirectory(out)) {
      throw new UsageException("--out " + out + " is a file; give a folder");
    }
    if (!replace && Files.isDirectory(out)) {
      try (var entries = Files.list(out)) {
        if (entries.findAny().isPresent()) {
          throw new UsageException("--out " + out + " exists and is not empty; choose a new folder or add --force to"
              + " replace it");
        }
      } catch (java.io.IOException e) {
        throw new UsageException("cannot read --out folder " + out + ": " + e.getMessage(), e);
      }
    }
  }

  private static byte[] stdin(String what) throws IOException {
    byte[] b = System.in.readAllBytes();
    if (b.length == 0) {
      throw new IOException("standard input is empty (" + what + ")");
    }
    return b;
  }

  /**
   * The non-blank lines of a UTF-8 text file (or of standard input for {@code -}, a pipe or a device),
   * stripped: one text a line.
   */
  static List<String> texts(Path input) {
    String what = "--input " + input;
    byte[] bytes;
    try {
      if (Outputs.isStdout(input)) {
        bytes = stdin(what);
      } else if (Files.isDirectory(input)) {
        throw new UsageException(what + " is a folder; give a text file with one text a line, or - for standard"
            + " input");
      } else if (!Files.exists(input)) {
        throw new UsageException(what + ": no such file");
      } else {
        try (InputStream in = Files.newInputStream(input)) {
          bytes = in.readAllBytes();
        }
      }
    } catch (IOException e) {
      throw new UsageException("cannot read " + what + ": " + e.getMessage(), e);
    }
    String text = utf8(bytes, what);
    List<String> texts = new ArrayList<>();
    for (String l : text.split("\\R")) {
      if (!l.isBlank()) {
        texts.add(l.strip());
      }
    }
    if (texts.isEmpty()) {
      throw new UsageException(what + " holds no text; give one text a line");
    }
    return texts;
  }

  /** Decodes strict UTF-8, naming the line and byte of the first malformed sequence. */
  static String utf8(byte[] bytes, String what) {
    CharsetDecoder dec = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    try {
      return dec.decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      int bad = firstInvalid(bytes);
      int line = 1;
      for (int i = 0; i < bad; i++) {
        if (bytes[i] == '\n') {
          line++;
        }
      }
      throw new UsageException(what + " is not valid UTF-8 (line " + line + ", byte " + bad + "); save it as UTF-8"
          + " text", e);
    }
  }

  private static int firstInvalid(byte[] b) {
    CharsetDecoder dec = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(b);
    java.nio.CharBuffer out = java.nio.CharBuffer.allocate(b.length + 1);
    dec.decode(in, out, true);
    return in.position();
  }
}
