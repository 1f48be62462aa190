package org.cropmae.trainer.data;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * A generator that replays given values and records every draw, to check the exact sequence of
 * draws and the arithmetic that turns them into crops. Any draw other than the scripted ones fails.
 */
final class ScriptedRandom implements RandomGenerator {
  private final ArrayDeque<Object> script = new ArrayDeque<>();
  final List<String> calls = new ArrayList<>();

  /** The next {@code nextDouble()} returns {@code u}. */
  ScriptedRandom uniform(double... us) {
    for (double u : us) {
      script.add(u);
    }
    return this;
  }

  /** The next {@code nextInt(bound)} returns {@code v}. */
  ScriptedRandom integer(int v) {
    script.add(v);
    return this;
  }

  boolean exhausted() {
    return script.isEmpty();
  }

  @Override
  public double nextDouble() {
    Object v = script.poll();
    if (!(v instanceof Double d)) {
      throw new AssertionError("unexpected nextDouble(), script has " + v);
    }
    calls.add("double");
    return d;
  }

  @Override
  public int nextInt(int bound) {
    Object v = script.poll();
    if (!(v instanceof Integer i) || i >= bound) {
      throw new AssertionError("unexpected nextInt(" + bound + "), script has " + v);
    }
    calls.add("int(" + bound + ")");
    return i;
  }

  @Override
  public long nextLong() {
    throw new AssertionError("unexpected nextLong()");
  }
}
