package org.cropmae.app.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Path;
import org.cropmae.app.CropMae;
import picocli.CommandLine;

/** Runs the {@code cropmae} command line in-process and captures what it prints. */
final class Cli {
  private Cli() {}

  record Result(int exitCode, String out, String err) {
    /** Non-blank lines of stderr. */
    long errLines() {
      return err.lines().filter(l -> !l.isBlank()).count();
    }
  }

  static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = CropMae.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int code = cl.execute(args);
    return new Result(code, out.toString(), err.toString());
  }

  /** A copy of a reference fixture in this module's test resources. */
  static Path reference(String name) {
    try {
      return Path.of(Cli.class.getResource("/reference/" + name).toURI());
    } catch (URISyntaxException | NullPointerException e) {
      throw new IllegalStateException("missing test resource /reference/" + name, e);
    }
  }
}
