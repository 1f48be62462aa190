package org.cropmae.app;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import org.cropmae.app.cli.BenchCommand;
import org.cropmae.app.cli.DavisEvalCommand;
import org.cropmae.app.cli.EvaluateCommand;
import org.cropmae.app.cli.DebugCommand;
import org.cropmae.app.cli.DemoCommand;
import org.cropmae.app.cli.EmbedCommand;
import org.cropmae.app.cli.ExportCommand;
import org.cropmae.app.cli.ImportCommand;
import org.cropmae.app.cli.PropagateCommand;
import org.cropmae.app.cli.ServeCommand;
import org.cropmae.app.cli.SynthesizeClipsCommand;
import org.cropmae.app.cli.TrainCommand;
import org.cropmae.app.cli.UsageException;
import org.cropmae.app.cli.VisualizeCommand;
import org.cropmae.runtime.EngineException;
import org.cropmae.runtime.budget.BudgetExceededException;
import org.cropmae.runtime.io.FileErrors;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of the {@code cropmae} command-line application.
 *
 * <p>Exit codes: 0 success, 1 the command failed on its input (one line on stderr names the input
 * and the problem), 2 bad usage, 3 an unexpected internal error (stack trace printed).
 */
@Command(
    name = "cropmae",
    mixinStandardHelpOptions = true,
    versionProvider = CropMae.Version.class,
    description = "CropMAE on the JVM: propagate object masks through videos, evaluate, train and export encoders.",
    subcommands = {
      DemoCommand.class,
      SynthesizeClipsCommand.class,
      PropagateCommand.class,
      DavisEvalCommand.class,
      EvaluateCommand.class,
      ServeCommand.class,
      ImportCommand.class,
      EmbedCommand.class,
      TrainCommand.class,
      ExportCommand.class,
      VisualizeCommand.class,
      BenchCommand.class,
      DebugCommand.class,
      CommandLine.HelpCommand.class})
public final class CropMae {
  /** Exit code for a command that failed on its input. */
  public static final int EXIT_INPUT = 1;
  /** Exit code for a usage error: an unknown option or subcommand, or an option value out of range. */
  public static final int EXIT_USAGE = 2;
  /** Exit code for an internal error, a bug. */
  public static final int EXIT_INTERNAL = 3;
  /** Held so that the level set in {@link #main} is not garbage-collected with the logger. */
  private static final java.util.logging.Logger DJL_LOGGER = java.util.logging.Logger.getLogger("ai.djl");

  public static void main(String[] args) {
    // Log records (e.g. which execution provider runs the encoder) as one short line each.
    if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
      System.setProperty("java.util.logging.SimpleFormatter.format", "[%4$s] %5$s%6$s%n");
    }
    // DJL's start-up chatter (engine, thread counts) is not what a user asked for.
    DJL_LOGGER.setLevel(java.util.logging.Level.WARNING);
    int code;
    try {
      code = commandLine().execute(args);
    } catch (OutOfMemoryError e) {
      // picocli hands only Exceptions to handleFailure; the budgets are meant to refuse first.
      System.err.println("cropmae: out of memory (the JVM may use " + (Runtime.getRuntime().maxMemory() >> 20)
          + " MiB); use a smaller input or give the JVM more with CROPMAE_JAVA_OPTS=-Xmx<size>");
      code = EXIT_INPUT;
    }
    System.exit(code);
  }

  /** The configured command line; tests call {@code execute} on it instead of {@link #main}. */
  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new CropMae());
    cl.setExecutionExceptionHandler(CropMae::handleFailure);
    cl.setParameterExceptionHandler(CropMae::handleUsage);
    shareVersion(cl, new Version());
    return cl;
  }

  /** Every subcommand offers -V (mixinStandardHelpOptions): make it print the application's version. */
  private static void shareVersion(CommandLine cl, CommandLine.IVersionProvider version) {
    for (CommandLine sub : cl.getSubcommands().values()) {
      if (sub.getCommandSpec().versionProvider() == null) {
        sub.getCommandSpec().versionProvider(version);
      }
      shareVersion(sub, version);
    }
  }

  /**
   * Turns an expected failure (bad or unreadable input) into one line and exit code 1; anything
   * else is a bug and keeps its stack trace.
   */
  private static int handleFailure(Exception e, CommandLine cl, CommandLine.ParseResult parsed) {
    PrintWriter err = cl.getErr();
    Throwable cause = e instanceof UncheckedIOException u ? u.getCause() : e;
    if (cause instanceof UsageException) {
      return usageError(cl, cause.getMessage(), null);
    }
    if (cause instanceof EngineException) {
      // Not the input's fault and not ours to trace: the engine's message says what failed.
      err.println("cropmae " + cl.getCommandName() + ": engine failure, please report it with the command and the model: "
          + oneLine(cause.getMessage()));
      err.flush();
      return EXIT_INTERNAL;
    }
    if (cause instanceof IOException || cause instanceof IllegalArgumentException
        || cause instanceof IllegalStateException) {
      String hint = cause instanceof BudgetExceededException
          ? " (a trusted input may raise --max-tokens, --max-attention-mib or --max-context-mib)" : "";
      // A file-system error may carry only the path or only the reason: FileErrors gives both.
      String message = cause instanceof IOException io ? FileErrors.describe(io) : cause.getMessage();
      err.println("cropmae " + cl.getCommandName() + ": " + oneLine(message) + hint);
      err.flush();
      return EXIT_INPUT;
    }
    err.println("cropmae " + cl.getCommandName() + ": internal error, please report it:");
    e.printStackTrace(err);
    err.flush();
    return EXIT_INTERNAL;
  }

  /**
   * A usage error, found by picocli while parsing or by a command reading its options: the error
   * and a hint in place of the whole help, exit code 2.
   */
  private static int handleUsage(CommandLine.ParameterException e, String[] args) {
    return usageError(e.getCommandLine(), e.getMessage(), e);
  }

  private static int usageError(CommandLine cl, String message, CommandLine.ParameterException e) {
    PrintWriter err = cl.getErr();
    err.println(cl.getCommandSpec().qualifiedName() + ": " + oneLine(message));
    if (e != null) {
      // "Did you mean: ..." for a mistyped option or subcommand.
      CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
    }
    err.println("Try '" + cl.getCommandSpec().qualifiedName() + " --help' for the options.");
    err.flush();
    return EXIT_USAGE;
  }

  private static String oneLine(String message) {
    return message == null ? "failed" : message.replaceAll("\\s*\\R\\s*", " ").strip();
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = CropMae.class.getPackage().getImplementationVersion();
      return new String[] {"cropmae " + (v == null ? "development build" : v)};
    }
  }
}
