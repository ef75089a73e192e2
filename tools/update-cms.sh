#!/usr/bin/env bash
# Vendors the browser files of Decap CMS and js-yaml from npm, for the CMS admin at /admin/
# (issue 29): the admin is served from the site itself, so no script is loaded from another
# site and the exact bytes published are the ones reviewed in this repository.
#
# What it does, for each package (decap-cms, js-yaml):
#   1. `npm pack <pkg>@<version>` in a temporary folder (nothing is installed, no package
#      script runs);
#   2. checks the tarball's sha512 against `npm view <pkg>@<version> dist.integrity` and, for
#      the pinned version, against the integrity recorded below: a mismatch stops the script
#      before anything is changed;
#   3. checks that package.json names the package, the version and the MIT licence;
#   4. replaces the files of vendor/<pkg>/ with the package's browser files (old lazy chunks
#      and .wasm files removed) and writes vendor/<pkg>/VERSION;
# then writes src/admin/vendored.rs, the list of files the admin publishes (include_bytes!).
#
#   vendor/decap-cms/  dist/decap-cms.js, every lazy chunk dist/NNNN.decap-cms.js and the
#                      dist/*.wasm files (loaded from the folder of decap-cms.js, so they
#                      are published beside it), dist/decap-cms.js.LICENSE.txt (third-party
#                      notices, as shipped). Not the .map files, not the second identical
#                      build cms.js, not the empty cms.css. vendor/decap-cms/LICENSE is
#                      Decap's own MIT text, copied from the decaporg/decap-cms repository
#                      because the npm package has none: this script keeps it and only
#                      checks that the package still says MIT.
#   vendor/js-yaml/    dist/js-yaml.min.js (window.jsyaml, used by the admin's own script to
#                      read and write YAML data files) and the package's LICENSE.
#
# Usage (from anywhere; needs bash, npm and node):
#   bash tools/update-cms.sh                        # the pinned versions below, again
#   bash tools/update-cms.sh 3.17.0                 # a new decap-cms
#   bash tools/update-cms.sh 3.17.0 4.3.3           # new decap-cms and js-yaml
#   DECAP_VERSION=3.17.0 JSYAML_VERSION=4.3.3 bash tools/update-cms.sh
# With the pinned versions it is idempotent: a second run leaves no git diff. With a new
# version it also rewrites the pins below (version and integrity, as npm reports them), so
# that the update shows in one reviewable diff and the next plain run changes nothing.
#
# After an update: read the diff of decap-cms.js.LICENSE.txt (new third-party notices?), run
# `cargo test`, and run the browser test tests/browser/cms.mjs, which drives the admin, its
# own script (window.jsyaml, the CMS's init) and a save through the local backend: Decap's
# internals that the admin's script relies on can change between versions.

set -euo pipefail

# The pins: edited by this script when it updates to another version.
DECAP_PINNED=3.16.3
DECAP_PINNED_INTEGRITY=sha512-hf+dPlCh7TJmWl8+6VRzHYOWhri5xgUknrZbDewaWe4s9B7xJ8PQugp2QHeSldMUKzav6+z0oIpwUYhUJDYtYw==
JSYAML_PINNED=4.3.2
JSYAML_PINNED_INTEGRITY=sha512-SFNOvSJ+Dgf/9An904Yx+CgSlIPCkIpao4qo51lpee25TIRejdH3rhR4EZMGoNx3/TP3O+wzWuiTFl4sqbltzA==

die() {
    echo "update-cms: $*" >&2
    exit 1
}

# The integrity string npm uses (SRI: "sha512-" and the base64 digest) of a file.
sri_of() {
    node -e 'const c=require("crypto"),f=require("fs");
        process.stdout.write("sha512-"+c.createHash("sha512").update(f.readFileSync(process.argv[1])).digest("base64"))' "$1"
}

# A field of a package.json, printed as text.
json_field() {
    node -e 'const p=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8"));
        process.stdout.write(String(p[process.argv[2]]))' "$1" "$2"
}

# Fetches <pkg>@<version> into $work/<pkg>/package after the checks; prints its integrity.
fetch() {
    local pkg=$1 version=$2 pinned=$3 pinned_integrity=$4
    local dir="$work/$pkg"
    mkdir -p "$dir"
    echo "update-cms: $pkg@$version" >&2
    local registry
    registry=$(npm view "$pkg@$version" dist.integrity) || die "npm view $pkg@$version failed"
    [[ $registry == sha512-* ]] || die "$pkg@$version: npm view gives no sha512 integrity ('$registry')"
    (cd "$dir" && npm pack --silent "$pkg@$version" >/dev/null) || die "npm pack $pkg@$version failed"
    local tgz=("$dir"/*.tgz)
    [[ ${#tgz[@]} == 1 && -f ${tgz[0]} ]] || die "$pkg@$version: expected one tarball in $dir"
    local actual
    actual=$(sri_of "${tgz[0]}")
    [[ $actual == "$registry" ]] ||
        die "$pkg@$version: tarball integrity $actual differs from the registry's $registry"
    if [[ $version == "$pinned" && $actual != "$pinned_integrity" ]]; then
        die "$pkg@$version: tarball integrity $actual differs from the one pinned in this script ($pinned_integrity)"
    fi
    tar -xzf "${tgz[0]}" -C "$dir"
    local pj="$dir/package/package.json"
    [[ $(json_field "$pj" name) == "$pkg" ]] || die "$pkg@$version: package.json names another package"
    [[ $(json_field "$pj" version) == "$version" ]] || die "$pkg@$version: package.json gives another version"
    [[ $(json_field "$pj" license) == MIT ]] ||
        die "$pkg@$version: the licence is no longer MIT ($(json_field "$pj" license)): read it before vendoring"
    printf '%s' "$actual"
}

# Replaces the files of vendor/<pkg>/ that come from the package: everything but the files
# named in $keep (space-separated), which are not in the package.
clear_folder() {
    local folder=$1 keep=$2 f name
    mkdir -p "$folder"
    for f in "$folder"/* "$folder"/.[!.]*; do
        [[ -e $f ]] || continue
        name=${f##*/}
        [[ " $keep " == *" $name "* ]] && continue
        rm -f -- "$f"
    done
}

write_version() {
    local file=$1 pkg=$2 version=$3 integrity=$4
    {
        echo "$pkg $version"
        echo "$integrity"
        echo "https://registry.npmjs.org/$pkg/-/$pkg-$version.tgz"
    } >"$file"
}

# src/admin/vendored.rs: every published file, sorted by name (bytewise).
write_rust() {
    local out="$root/src/admin/vendored.rs" entry name dir
    mkdir -p "${out%/*}"
    {
        echo "// @generated by tools/update-cms.sh — do not edit"
        echo "//! The vendored browser files the admin publishes at /admin/ (Decap CMS and js-yaml, see"
        echo "//! vendor/README.md), by file name, sorted; written by tools/update-cms.sh, never by hand."
        echo
        echo "/// The vendored Decap CMS version (vendor/decap-cms/VERSION)."
        echo "pub(crate) const DECAP_VERSION: &str = \"$decap_version\";"
        echo
        echo "/// The files published in /admin/, by name: decap-cms.js, its lazy chunks and the"
        echo "/// .wasm files it loads from its own folder, and js-yaml.min.js."
        echo "pub(crate) const CMS_FILES: &[(&str, &[u8])] = &["
        while IFS=/ read -r name dir; do
            echo "    ("
            echo "        \"$name\","
            echo "        include_bytes!(\"../../vendor/$dir/$name\"),"
            echo "    ),"
        done < <(
            cd "$root/vendor"
            for entry in decap-cms/decap-cms.js decap-cms/[0-9]*.decap-cms.js decap-cms/*.wasm \
                js-yaml/js-yaml.min.js; do
                [[ -f $entry ]] && echo "${entry#*/}/${entry%%/*}"
            done | LC_ALL=C sort
        )
        echo "];"
    } >"$out"
}

# Writes new pins into this script (a new file renamed over it: bash, which is reading the
# old one, is not disturbed; the whole script has been read anyway, see `main` below).
repin() {
    local script=$1 tmp
    tmp=$(mktemp "$script.XXXXXX")
    sed -e "s|^DECAP_PINNED=.*|DECAP_PINNED=$decap_version|" \
        -e "s|^DECAP_PINNED_INTEGRITY=.*|DECAP_PINNED_INTEGRITY=$decap_integrity|" \
        -e "s|^JSYAML_PINNED=.*|JSYAML_PINNED=$jsyaml_version|" \
        -e "s|^JSYAML_PINNED_INTEGRITY=.*|JSYAML_PINNED_INTEGRITY=$jsyaml_integrity|" \
        "$script" >"$tmp"
    chmod --reference="$script" "$tmp" 2>/dev/null || true
    mv -f -- "$tmp" "$script"
}

main() {
    command -v npm >/dev/null || die "npm is needed (https://nodejs.org)"
    command -v node >/dev/null || die "node is needed (https://nodejs.org)"
    script=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/$(basename "${BASH_SOURCE[0]}")
    root=$(cd "$(dirname "$script")/.." && pwd)
    [[ -f $root/Cargo.toml && -d $root/src ]] || die "not in Vetrina's repository: $root"

    decap_version=${1:-${DECAP_VERSION:-$DECAP_PINNED}}
    jsyaml_version=${2:-${JSYAML_VERSION:-$JSYAML_PINNED}}

    work=$(mktemp -d "${TMPDIR:-/tmp}/update-cms.XXXXXX")
    trap 'rm -rf -- "$work"' EXIT

    # Everything is fetched and checked before the first file of the repository changes.
    decap_integrity=$(fetch decap-cms "$decap_version" "$DECAP_PINNED" "$DECAP_PINNED_INTEGRITY")
    jsyaml_integrity=$(fetch js-yaml "$jsyaml_version" "$JSYAML_PINNED" "$JSYAML_PINNED_INTEGRITY")

    local dist="$work/decap-cms/package/dist" f
    [[ -f $dist/decap-cms.js && -f $dist/decap-cms.js.LICENSE.txt ]] ||
        die "decap-cms@$decap_version: dist/decap-cms.js or its LICENSE.txt is missing"
    local chunks=("$dist"/[0-9]*.decap-cms.js)
    [[ -f ${chunks[0]} ]] || die "decap-cms@$decap_version: no lazy chunks NNNN.decap-cms.js in dist/"
    [[ -f $work/js-yaml/package/dist/js-yaml.min.js && -f $work/js-yaml/package/LICENSE ]] ||
        die "js-yaml@$jsyaml_version: dist/js-yaml.min.js or LICENSE is missing"

    # Every .wasm file a chunk asks for must be in the package (they are loaded by name).
    local wasm
    for wasm in $(cat "$dist"/decap-cms.js "${chunks[@]}" | grep -o '[0-9a-f]\{16,\}\.wasm' | sort -u); do
        [[ -f $dist/$wasm ]] || die "decap-cms@$decap_version: $wasm is loaded but not in dist/"
    done

    local vd="$root/vendor/decap-cms" vy="$root/vendor/js-yaml"
    [[ -f $vd/LICENSE ]] || die "$vd/LICENSE (Decap's MIT text, not in the npm package) is missing"
    clear_folder "$vd" LICENSE
    cp -- "$dist/decap-cms.js" "$dist/decap-cms.js.LICENSE.txt" "${chunks[@]}" "$vd/"
    for f in "$dist"/*.wasm; do
        [[ -f $f ]] && cp -- "$f" "$vd/"
    done
    write_version "$vd/VERSION" decap-cms "$decap_version" "$decap_integrity"

    clear_folder "$vy" ""
    cp -- "$work/js-yaml/package/dist/js-yaml.min.js" "$work/js-yaml/package/LICENSE" "$vy/"
    write_version "$vy/VERSION" js-yaml "$jsyaml_version" "$jsyaml_integrity"

    write_rust

    if [[ $decap_version != "$DECAP_PINNED" || $jsyaml_version != "$JSYAML_PINNED" ]]; then
        repin "$script"
        echo "update-cms: pinned decap-cms $decap_version and js-yaml $jsyaml_version in ${script#"$root"/}" >&2
    fi
    echo "update-cms: done; vendor/ and src/admin/vendored.rs written. Now: cargo test, and the browser test tests/browser/cms.mjs" >&2
}

# One line: bash reads the whole of `main` before running it, so a rewrite of this file
# (repin) cannot change what runs.
main "$@"; exit $?
