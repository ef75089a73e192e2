#!/usr/bin/env python3
"""Edit-to-browser latency of `vetrina serve` (issue 9): how long from saving a story to the
moment an open page has been told to reload and has fetched the new version.

Connects to the server's event stream as a browser tab does, then, EDITS times: appends a
sentence to a story's Italian text, waits for the `reload` event, fetches the story's page
and checks that the sentence is in it. Prints every time and the median, in ms.

usage: serve_latency.py --url http://127.0.0.1:PORT --site DIR --story SLUG [--edits 21]
"""
import argparse
import http.client
import os
import socket
import statistics
import sys
import time
import urllib.parse


def events(host, port):
    s = socket.create_connection((host, port), timeout=30)
    s.sendall(f"GET /__vetrina/events HTTP/1.1\r\nHost: {host}\r\nAccept: text/event-stream\r\n\r\n".encode())
    f = s.makefile("rb")
    while f.readline() not in (b"\r\n", b""):
        pass  # status line and headers
    return s, f


def next_event(f):
    name, data = None, []
    while True:
        line = f.readline()
        if not line:
            raise SystemExit("the event stream closed")
        line = line.decode().rstrip("\r\n")
        if not line:
            if name:
                return name, "\n".join(data)
            continue
        if line.startswith("event: "):
            name = line[7:]
        elif line.startswith("data:"):
            data.append(line[5:].lstrip())


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--url", required=True)
    ap.add_argument("--site", required=True)
    ap.add_argument("--story", required=True, help="folder name of the story under content/stories")
    ap.add_argument("--edits", type=int, default=21)
    ap.add_argument("--pause", type=float, default=2.0, help="seconds between two edits (default 2)")
    a = ap.parse_args()
    u = urllib.parse.urlparse(a.url)
    src = os.path.join(a.site, "content", "stories", a.story, "index.it.md")
    page = f"/storie/{a.story}/"
    sock, f = events(u.hostname, u.port)
    times = []
    for i in range(a.edits):
        marker = f"Frase di prova numero {i} per misurare l'anteprima."
        with open(src, "a", encoding="utf-8") as fh:
            t0 = time.perf_counter()
            fh.write(f"\n{marker}\n")
        while True:
            name, data = next_event(f)
            if name == "reload":
                break
            if name == "build-error":
                raise SystemExit(f"build error after edit {i}:\n{data}")
        c = http.client.HTTPConnection(u.hostname, u.port, timeout=30)
        c.request("GET", page)
        body = c.getresponse().read().decode()
        t1 = time.perf_counter()
        if marker not in body:
            raise SystemExit(f"edit {i}: the page does not show the new sentence")
        times.append((t1 - t0) * 1000)
        time.sleep(a.pause)  # an author does not save several times a second
    sock.close()
    times_s = ", ".join(f"{t:.0f}" for t in times)
    print(f"edits: {len(times)}; ms: {times_s}")
    print(f"median {statistics.median(times):.0f} ms; min {min(times):.0f} ms; max {max(times):.0f} ms")


if __name__ == "__main__":
    sys.exit(main())
