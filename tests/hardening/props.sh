#!/usr/bin/env bash
# The property-based tests of what authors write, run longer than in `cargo test`:
# 100,000 Markdown texts (render::markdown_props) and 500 front matters built into the
# small site of `vetrina init` (tests/hardening_props.rs). CI runs this after `cargo test`.
# Env: VETRINA_PROPTEST_CASES overrides the number of Markdown texts (front matters: a 200th).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
export VETRINA_PROPTEST_CASES="${VETRINA_PROPTEST_CASES:-100000}"
echo "property tests: $VETRINA_PROPTEST_CASES Markdown texts, $((VETRINA_PROPTEST_CASES / 200)) front matters"
cargo test --lib markdown_props
cargo test --test hardening_props
