package org.cropmae.app;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code cropmae} command-line application. */
@Command(
    name = "cropmae",
    mixinStandardHelpOptions = true,
    versionProvider = CropMae.Version.class,
    description = "CropMAE on the JVM: propagate object masks through videos, evaluate, train and export encoders.",
    subcommands = {CommandLine.HelpCommand.class})
public final class CropMae {

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The configured picocli command line; tests call {@code execute} on it instead of {@link #main}. */
  public static CommandLine commandLine() {
    return new CommandLine(new CropMae());
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = CropMae.class.getPackage().getImplementationVersion();
      return new String[] {"cropmae " + (v == null ? "development build" : v)};
    }
  }
}
