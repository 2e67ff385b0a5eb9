/**
 * The pipeline's invariant, on both routes: every record of a file is either written to clean or
 * quarantined, `rowsIn = rowsOut + rowsQuarantined`. A run whose counts do not add up publishes
 * nothing and throws this, so the message (or the step) is retried rather than a row lost.
 */
export class InvariantError extends Error {}
