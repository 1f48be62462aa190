/**
 * How much one call may ask of the machine: {@link org.cropmae.runtime.budget.ComputeBudget} bounds
 * the encoder's tokens and attention memory and the propagation's context memory. The numbers are
 * computed from the input's sizes before anything is allocated, and the same record is checked by
 * the library (encoder, propagator), the CLI and the server.
 */
package org.cropmae.runtime.budget;
