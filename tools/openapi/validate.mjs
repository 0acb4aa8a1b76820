// Validates an OpenAPI description (2.0, 3.0 or 3.1) against its specification's
// schema and rules with @apidevtools/swagger-parser. Usage: node validate.mjs FILE
// Prints "valid <version> <paths>" and exits 0, or prints why and exits 1.
import { readFileSync } from "node:fs";
import SwaggerParser from "@apidevtools/swagger-parser";

const file = process.argv[2];
if (!file) {
  console.error("usage: node validate.mjs FILE");
  process.exit(2);
}
try {
  const doc = JSON.parse(readFileSync(file, "utf8"));
  const api = await SwaggerParser.validate(doc);
  console.log(`valid ${api.openapi} ${Object.keys(api.paths ?? {}).length}`);
} catch (error) {
  console.error(String(error.message ?? error));
  process.exit(1);
}
