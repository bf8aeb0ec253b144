package dev.tokendyn.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the command line in process and keeps the exit code and both streams. */
record CliRun(int code, String out, String err) {
  static CliRun of(String... args) {
    StringWriter o = new StringWriter();
    StringWriter e = new StringWriter();
    int code = Main.run(new PrintWriter(o), new PrintWriter(e), args);
    return new CliRun(code, o.toString(), e.toString());
  }
}
