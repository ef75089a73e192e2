// Proves that the browser stems a query as the index stemmed the site: every word given
// (a JSON file {lang: [[word, stem by pagefind_stem]…]}, written by the Rust test
// `browser_stemmers_agree_with_the_index_s` in src/search/tests.rs) is stemmed again with the
// vendored JavaScript stemmer (src/search/stemmers/<lang>.js) and the two compared.
// Prints the agreement per language and each difference; exits 1 on any.
//
//   node tests/conformance/stemmers.mjs pairs.json
import { readFileSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { dirname, join } from "node:path";

const here = dirname(fileURLToPath(import.meta.url));
const pairs = JSON.parse(readFileSync(process.argv[2], "utf8"));
// Differences known and explained in src/search/stemmers/README.md: [lang, word].
const KNOWN = new Set([
  "fr française",
  "en added",
  "en adding",
  "en emergency",
  "en evening",
  "en internal",
  "en international",
]);
let bad = 0;
for (const [lang, list] of Object.entries(pairs)) {
  const file = join(here, "..", "..", "src", "search", "stemmers", `${lang}.js`);
  const mod = await import(pathToFileURL(file).href);
  const stemmer = mod.stemmer ?? mod.stem;
  let same = 0;
  for (const [word, stem] of list) {
    const js = stemmer(word);
    if (js === stem) same++;
    else if (KNOWN.has(`${lang} ${word}`)) console.log(`${lang}: ${word} → rust ${stem}, js ${js} (known)`);
    else {
      bad++;
      console.log(`${lang}: ${word} → rust ${stem}, js ${js}`);
    }
  }
  console.log(`${lang}: ${same}/${list.length} words stemmed alike (${((100 * same) / Math.max(1, list.length)).toFixed(2)}%)`);
}
process.exit(bad ? 1 : 0);
