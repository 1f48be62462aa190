package org.cropmae.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.cropmae.app.CropMae;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Every command, at every depth, answers {@code --help} with its usage and exit code 0. */
class HelpTest {
  @Test
  void everyCommandHasHelp() {
    List<List<String>> paths = new ArrayList<>();
    collect(CropMae.commandLine(), new ArrayList<>(), paths);
    assertTrue(paths.size() >= 5, "found commands " + paths);
    java.io.PrintStream stderr = System.err;
    java.io.ByteArrayOutputStream warnings = new java.io.ByteArrayOutputStream();
    // picocli reports a malformed description (an unescaped '%') on System.err, not on the command's writer.
    System.setErr(new java.io.PrintStream(warnings, true, java.nio.charset.StandardCharsets.UTF_8));
    try {
      for (List<String> path : paths) {
        List<String> args = new ArrayList<>(path);
        args.add("--help");
        Cli.Result r = Cli.run(args.toArray(String[]::new));
        assertEquals(0, r.exitCode(), "cropmae " + String.join(" ", args) + ": " + r.err());
        assertTrue(r.out().contains("Usage: cropmae " + String.join(" ", path)), "cropmae " + String.join(" ", args) + " printed " + r.out());
        String w = warnings.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(!w.contains("[picocli WARN]"), "cropmae " + String.join(" ", args) + ": " + w);
      }
    } finally {
      System.setErr(stderr);
    }
  }

  private static void collect(CommandLine cl, List<String> prefix, List<List<String>> out) {
    out.add(prefix);
    cl.getSubcommands().forEach((name, sub) -> {
      if (!name.equals("help") && sub.getCommandName().equals(name)) {
        List<String> p = new ArrayList<>(prefix);
        p.add(name);
        collect(sub, p, out);
      }
    });
  }

  /** The one-line summary a parent lists (the header, else the description's first line) is a full sentence. */
  @Test
  void everySummaryIsAFullSentence() {
    List<CommandLine> all = new ArrayList<>();
    collectCommands(CropMae.commandLine(), all);
    for (CommandLine cl : all) {
      CommandLine.Model.UsageMessageSpec usage = cl.getCommandSpec().usageMessage();
      String[] lines = usage.header().length > 0 ? usage.header() : usage.description();
      assertTrue(lines.length > 0, cl.getCommandName() + " has no summary");
      String summary = lines[0].strip();
      assertTrue(summary.endsWith(".") && Character.isUpperCase(summary.charAt(0)),
          cl.getCommandSpec().qualifiedName() + ": summary is not a sentence: '" + summary + "'");
    }
  }

  private static void collectCommands(CommandLine cl, List<CommandLine> out) {
    out.add(cl);
    cl.getSubcommands().forEach((name, sub) -> {
      if (!name.equals("help") && sub.getCommandName().equals(name)) {
        collectCommands(sub, out);
      }
    });
  }

  /** -V, which every command advertises, prints the version everywhere (it printed nothing below the root). */
  @Test
  void everyCommandPrintsTheVersion() {
    List<List<String>> paths = new ArrayList<>();
    collect(CropMae.commandLine(), new ArrayList<>(), paths);
    String root = Cli.run("-V").out().strip();
    assertTrue(root.startsWith("cropmae "), root);
    for (List<String> path : paths) {
      List<String> args = new ArrayList<>(path);
      args.add("-V");
      Cli.Result r = Cli.run(args.toArray(String[]::new));
      assertEquals(0, r.exitCode(), String.join(" ", args) + ": " + r.err());
      assertEquals(root, r.out().strip(), "cropmae " + String.join(" ", args));
    }
  }

  @Test
  void unknownCommandIsAUsageError() {
    Cli.Result r = Cli.run("no-such-command");
    assertEquals(2, r.exitCode());
    assertTrue(r.err().contains("no-such-command"), r.err());
  }
}
