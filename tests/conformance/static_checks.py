#!/usr/bin/env python3
"""File-level conformance checks for the site Vetrina builds.

  static_checks.py vnu   PUBLIC --jar VNU_JAR [--summary FILE]
      Every .html file under PUBLIC through the Nu Html Checker (errors only),
      then every .css file through its CSS checker. Exit 1 on any error.
  static_checks.py parse PUBLIC [--summary FILE]
      Every .ics file parsed with icalendar, every .xml file with
      xml.etree. Exit 1 on any failure.
"""

import argparse
import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

# Java's command line is long enough for thousands of paths, but keep each
# invocation bounded anyway.
BATCH = 1000

# Known gaps of the Nu checker's CSS validator: valid modern CSS it does not
# know yet. Anything else it reports is a finding.
CSS_FALSE_POSITIVES = [
    re.compile(r"Unrecognized at-rule “@(container|property|scope|starting-style|layer)”"),
    re.compile(r"“(container-type|container-name|container|text-wrap|text-wrap-style|"
               r"text-wrap-mode|content-visibility|scrollbar-gutter|scrollbar-width|"
               r"scrollbar-color|accent-color|text-underline-offset|"
               r"text-decoration-thickness|hyphenate-character)”.*(doesn't exist|does not exist)"),
]


def files_with(public, suffix):
    out = []
    for dirpath, dirnames, filenames in os.walk(public):
        dirnames.sort()
        for name in sorted(filenames):
            if name.lower().endswith(suffix):
                out.append(os.path.join(dirpath, name))
    return out


def rel(public, url_or_path):
    p = url_or_path
    if p.startswith("file:"):
        p = p[len("file:"):]
        while p.startswith("//"):
            p = p[1:]
    try:
        return os.path.relpath(p, public)
    except ValueError:
        return p


def run_vnu(jar, args, files):
    """Returns the list of vnu messages for files (in batches)."""
    messages = []
    for i in range(0, len(files), BATCH):
        batch = files[i:i + BATCH]
        cmd = ["java", "-Xss1m", "-jar", jar, "--format", "json", "--exit-zero-always",
               "--errors-only", *args, "--", *batch]
        proc = subprocess.run(cmd, capture_output=True, text=True, encoding="utf-8")
        raw = proc.stderr.strip() or proc.stdout.strip()
        try:
            data = json.loads(raw)
        except json.JSONDecodeError:
            sys.stderr.write(f"vnu did not answer in JSON (exit {proc.returncode}):\n{raw[:4000]}\n")
            sys.exit(2)
        messages.extend(data.get("messages", []))
    return messages


def print_messages(public, messages, prefix):
    for m in messages:
        where = rel(public, m.get("url", "?"))
        line = m.get("lastLine") or m.get("firstLine")
        col = m.get("firstColumn") or m.get("lastColumn")
        pos = f":{line}" + (f".{col}" if col else "") if line else ""
        print(f"{prefix} {where}{pos}: {m.get('type', 'error')}: {m.get('message', '')}")
        if m.get("extract"):
            print(f"    {m['extract'].strip()[:200]}")


def cmd_vnu(opts):
    public = os.path.abspath(opts.public)
    html = files_with(public, ".html")
    css = files_with(public, ".css")
    summary = {"html_files": len(html), "html_errors": 0, "css_files": len(css),
               "css_errors": 0, "css_ignored": 0}
    if not html:
        print(f"FAIL: no .html files under {public}")
        summary["html_errors"] = 1
    else:
        msgs = [m for m in run_vnu(opts.jar, ["--skip-non-html"], html)
                if m.get("type") in ("error", "non-document-error", "fatal")]
        print_messages(public, msgs, "VNU")
        summary["html_errors"] = len(msgs)
        print(f"vnu html: {len(html)} file(s), {len(msgs)} error(s)")
    if css:
        msgs = [m for m in run_vnu(opts.jar, ["--css"], css)
                if m.get("type") in ("error", "non-document-error", "fatal")]
        real = [m for m in msgs
                if not any(p.search(m.get("message", "")) for p in CSS_FALSE_POSITIVES)]
        summary["css_ignored"] = len(msgs) - len(real)
        summary["css_errors"] = len(real)
        print_messages(public, real, "VNU-CSS")
        note = f" ({summary['css_ignored']} known false positive(s) ignored)" if summary["css_ignored"] else ""
        print(f"vnu css: {len(css)} file(s), {len(real)} error(s){note}")
    else:
        print("vnu css: no .css files")
    write_summary(opts.summary, summary)
    return 1 if summary["html_errors"] or summary["css_errors"] else 0


def cmd_parse(opts):
    public = os.path.abspath(opts.public)
    summary = {"ics_files": 0, "xml_files": 0, "failures": 0}
    try:
        import icalendar
    except ImportError:
        print("FAIL: Python package icalendar is not installed")
        summary["failures"] = 1
        write_summary(opts.summary, summary)
        return 1

    ics = files_with(public, ".ics")
    summary["ics_files"] = len(ics)
    for path in ics:
        name = rel(public, path)
        try:
            with open(path, "rb") as f:
                cal = icalendar.Calendar.from_ical(f.read())
        except Exception as e:  # noqa: BLE001 - any parse failure is a finding
            print(f"ICS {name}: {type(e).__name__}: {e}")
            summary["failures"] += 1
            continue
        problems = []
        if cal.name != "VCALENDAR":
            problems.append(f"top-level component is {cal.name}, not VCALENDAR")
        for comp in cal.walk():
            for prop, err in getattr(comp, "errors", []) or []:
                problems.append(f"{comp.name} {prop}: {err}")
        for p in problems:
            print(f"ICS {name}: {p}")
        if problems:
            summary["failures"] += 1

    xml = files_with(public, ".xml")
    summary["xml_files"] = len(xml)
    for path in xml:
        try:
            ET.parse(path)
        except ET.ParseError as e:
            print(f"XML {rel(public, path)}: {e}")
            summary["failures"] += 1

    if not ics:
        print("ics: no .ics files yet (nothing to parse)")
    else:
        print(f"ics: {len(ics)} file(s) parsed with icalendar {icalendar.__version__}")
    if not xml:
        print("xml: no .xml files yet (nothing to parse)")
    else:
        print(f"xml: {len(xml)} file(s) parsed with xml.etree")
    print(f"parse: {summary['failures']} failure(s)")
    write_summary(opts.summary, summary)
    return 1 if summary["failures"] else 0


def write_summary(path, summary):
    if path:
        with open(path, "w", encoding="utf-8") as f:
            json.dump(summary, f, indent=2)
            f.write("\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    v = sub.add_parser("vnu")
    v.add_argument("public")
    v.add_argument("--jar", required=True)
    v.add_argument("--summary")
    p = sub.add_parser("parse")
    p.add_argument("public")
    p.add_argument("--summary")
    opts = ap.parse_args()
    if not os.path.isdir(opts.public):
        ap.error(f"no such folder: {opts.public}")
    sys.exit(cmd_vnu(opts) if opts.cmd == "vnu" else cmd_parse(opts))


if __name__ == "__main__":
    main()
