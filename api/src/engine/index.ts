// flagstack's Flagsmith-compatible evaluation engine: pure, synchronous, no I/O (FLAGSMITH-COMPAT.md §2).
//
// Building a context in server code: plain objects, with Maps where order matters.
//
//   const context: EvaluationContext = {
//     environment: { key: env.apiKey, name: env.name },
//     identity: { identifier, traits: new Map([['age', 42], ['score', pyFloat(5)], ['plan', 'pro']]) },
//     features: new Map(features.map((f) => [f.name, f])),   // flags come out in this order
//     segments: new Map(segments.map((s) => [String(s.id), s])), // walk order breaks priority ties
//   };
//   const { flags, segments } = getEvaluationResult(context);
//
// Numbers follow Python: an integer JS number (or bigint) is an int, a fractional JS number is a float, and a
// float whose value is whole (5.0) must be passed as pyFloat(5) — otherwise it is the int 5, which casts condition
// values with int() and prints as "5". Contexts and their parts are treated as immutable: sorted variant lists
// are cached per array, so reuse the environment's feature and segment objects across requests rather than
// mutating them. Leave `identity.key` out to get Flagsmith's `<environment key>_<identifier>`.

export { getEvaluationResult } from './evaluate';
export { parseEvaluationContext, toEvaluationContext } from './context';
export { toPlainJSON } from './serialize';
export { parseJson, stripLineComments } from './lossless-json';
export { stringifyJson, toPlainValue } from './json-writer';
export { PyFloat, pyFloat, isFloat, isInt } from './values';
export type { JsonObject, JsonPrimitive, JsonValue } from './values';
export type {
  ConditionOperator,
  EnvironmentContext,
  EvaluationContext,
  EvaluationResult,
  FeatureContext,
  FeatureValue,
  FlagResult,
  IdentityContext,
  OrderedRecord,
  PyNumber,
  RuleType,
  SegmentCondition,
  SegmentContext,
  SegmentResult,
  SegmentRule,
  TraitValue,
} from './types';
