/** A place in a spec file's text: 1-based line and column. */
export interface Position {
  line: number;
  column: number;
}
