package org.cropmae.trainer.checkpoint;

/**
 * A reference to a Python global ({@code module.name}, e.g. a class or a function) that a checkpoint
 * names but that is not on the reader's allowlist. It is an inert value: nothing is looked up, loaded
 * or invoked. Calling it in the pickle yields a {@link PickleObject}.
 *
 * @param module the Python module, e.g. {@code argparse}
 * @param name the attribute in that module, e.g. {@code Namespace}
 */
public record PickleGlobal(String module, String name) {

  /** {@code module.name}. */
  public String qualifiedName() {
    return module + "." + name;
  }

  @Override
  public String toString() {
    return PickleStrings.printable(qualifiedName());
  }
}
