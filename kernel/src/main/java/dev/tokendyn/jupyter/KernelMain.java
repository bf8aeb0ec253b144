package dev.tokendyn.jupyter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.dflib.jjava.jupyter.channels.JupyterConnection;
import org.dflib.jjava.jupyter.kernel.KernelConnectionProperties;

/** Starts the kernel on the connection file that Jupyter names: {@code java ... KernelMain <file>}. */
public final class KernelMain {

  private KernelMain() {
  }

  public static void main(String[] args) throws Exception {
    if (args.length != 1) {
      System.err.println("usage: KernelMain <connection file>; Jupyter starts the kernel with its connection"
          + " file, see 'tokendyn jupyter install'");
      System.exit(2);
    }
    String json;
    try {
      json = Files.readString(Path.of(args[0]), StandardCharsets.UTF_8);
    } catch (IOException e) {
      System.err.println("cannot read the connection file " + args[0] + ": " + e.getMessage());
      System.exit(2);
      return;
    }
    KernelConnectionProperties props = KernelConnectionProperties.parse(json);
    JupyterConnection connection = new JupyterConnection(props);
    TokendynKernel kernel = TokendynKernel.create();
    kernel.onStartup();
    kernel.becomeHandlerForConnection(connection);
    connection.connect();
    connection.waitUntilClose();
    System.exit(0);
  }
}
