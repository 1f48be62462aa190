package org.cropmae.runtime.budget;

/**
 * A request is larger than the {@link ComputeBudget} allows. It is an {@link IllegalArgumentException}
 * because the input, not the machine, is at fault: a smaller input (or a larger budget, where the
 * caller is trusted) fixes it. The message names the input, the amount asked, the limit and what to
 * change.
 */
public final class BudgetExceededException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public BudgetExceededException(String message) {
    super(message);
  }
}
