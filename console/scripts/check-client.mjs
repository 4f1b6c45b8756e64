// Fails when src/api/generated is not what openapi.json generates today (a stale committed client).
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";

const committed = "src/api/generated";
const fresh = mkdtempSync(join(tmpdir(), "console-client-"));

function files(root) {
  const found = [];
  const walk = (dir) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else found.push(relative(root, path));
    }
  };
  walk(root);
  return found.sort();
}

try {
  execFileSync("npx", ["openapi-ts", "-i", "openapi.json", "-o", fresh], { stdio: "pipe" });
  const want = files(fresh);
  const have = files(committed);
  const problems = [];
  for (const file of new Set([...want, ...have])) {
    if (!have.includes(file)) problems.push(`missing: ${file}`);
    else if (!want.includes(file)) problems.push(`not generated any more: ${file}`);
    else if (readFileSync(join(fresh, file), "utf8") !== readFileSync(join(committed, file), "utf8"))
      problems.push(`stale: ${file}`);
  }
  if (problems.length) {
    console.error(
      `The committed client is stale against openapi.json (run npm run generate-client):\n  ${problems.join("\n  ")}`,
    );
    process.exit(1);
  }
  console.log(`client current: ${have.length} files match openapi.json`);
} finally {
  rmSync(fresh, { recursive: true, force: true });
}
