import { checkSpecFiles } from "./spec";
import { formatProblem } from "./errors/problem";
const r = checkSpecFiles(process.argv.slice(2));
for (const p of r.problems) console.log(formatProblem(p));
console.log(r.specs.length, "ok of", r.files.length);
