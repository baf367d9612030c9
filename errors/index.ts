export { formatProblem, hasErrors, problem, ProblemError, type Problem, type Severity } from "./problem";
export { fieldError, fieldPathText, positioned, type FieldPath, type FieldProblem, type SpecSource } from "./field";
export { ajvPath } from "./ajv-path";
export { failed, ok, type ProblemResult, type Result } from "./result";
