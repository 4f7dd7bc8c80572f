// Writing results as JSON text. JSON.stringify would print a float 5.0 as 5 and cannot write a Map or a bigint;
// these helpers keep Python's number forms and the flags' feature order.

import { stringifyJson } from './json-writer';
import type { EvaluationResult } from './types';

/**
 * The result as JSON text: `{"flags":{<name>:{name,enabled,value,reason,variant[,metadata]}},"segments":[...]}`,
 * flags in feature order, floats as Python writes them (5.0, 1e+16).
 */
export function toPlainJSON(result: EvaluationResult): string {
  return stringifyJson({ flags: result.flags, segments: result.segments });
}
