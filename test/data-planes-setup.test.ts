import { expect, test } from "vitest";
import { postgresBinDir } from "./data-planes-setup";

test("without PostgreSQL binaries npm test stops and says what to install, rather than skipping the data tests", () => {
  expect(() => postgresBinDir("/nonexistent/postgresql", "")).toThrow(/apt-get install -y postgresql/);
  expect(postgresBinDir()).toMatch(/bin$/);
});
