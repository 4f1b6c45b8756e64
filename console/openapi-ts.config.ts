import { defineConfig } from "@hey-api/openapi-ts";

// The typed client of every service, from the combined OpenAPI document that
// `scripts/openapi_documents.py --write` records (no server needed). Committed; `npm run check-client` fails
// when it is stale.
export default defineConfig({
  input: "openapi.json",
  output: { path: "src/api/generated" },
  plugins: ["@hey-api/client-fetch", "@hey-api/typescript", "@hey-api/sdk"],
});
