package org.cropmae.app.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * Base of the commands: output goes through picocli's streams so that tests and embedders can
 * capture it. A command returns its exit code; expected failures are thrown as
 * {@link java.io.IOException} or {@link IllegalArgumentException} with a one-line message and
 * become exit code 1 (see {@code CropMae}).
 */
public abstract class CliCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  /** Standard output of the command. */
  protected PrintWriter stdout() {
    return spec.commandLine().getOut();
  }

  /** Standard error of the command: progress and notes. */
  protected PrintWriter stderr() {
    return spec.commandLine().getErr();
  }
}
