"""The site's search at scale, against Pagefind (issue #31). Run by hand:

    python bench/bench_search.py SITE_FOLDER [--pagefind PYTHON_WITH_PAGEFIND]

For each query it serves the site on 127.0.0.1, opens `index.html` in Debian's chromium, types
the query and waits until the list shows its results: the time from typing to the first
results, and the bytes the page fetched for them (the page's own load reported apart). With
`--pagefind`, it also indexes the same pages with Pagefind (`python -m pagefind`, in its own
environment: `pip install 'pagefind[bin]'`), reports the index's size and build time, and runs
the same queries through Pagefind's JavaScript API, over HTTP and from `file://`.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from playwright.sync_api import sync_playwright

# words of bench/generate.py's statements: one common, two together, accented, a prefix
QUERIES = ["critique", "nuage euros", "confidentialité", "reseau", "conf"]
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]


@contextlib.contextmanager
def served(folder: Path) -> Iterator[str]:
    """The site served by Python's own `http.server`, in a process of its own, on 127.0.0.1."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"]
    server = subprocess.Popen(
        command, cwd=folder, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        time.sleep(1)  # it listens
        yield f"http://127.0.0.1:{port}/"
    finally:
        server.terminate()
        server.wait(10)


def _note(into: list[int], response: Any) -> None:
    into.append(len(response.body()) if response.ok else 0)


def _size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def ours(base: str) -> None:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        for query in QUERIES:
            page = browser.new_page()
            fetched: list[int] = []
            page.on("response", functools.partial(_note, fetched))
            page.goto(base + "index.html")
            page.wait_for_load_state("load")
            loaded = sum(fetched)
            fetched.clear()
            start = time.perf_counter()
            page.fill("#f-text", query)
            page.wait_for_function(
                "(q) => document.getElementById('count').dataset.query === q",
                arg=query,
                timeout=60_000,
            )
            took = time.perf_counter() - start
            found = page.locator("#count").text_content()
            print(
                f"| ours | `{query}` | {took:.2f} s | {sum(fetched) / 1e6:.2f} MB "
                f"(page load {loaded / 1e6:.2f} MB) | {found} |"
            )
            page.close()
        browser.close()


PAGEFIND_QUERY = """async (q) => {
  const pf = await import('/pagefind/pagefind.js');
  const t = performance.now();
  const search = await pf.search(q);
  const first = search.results.length ? await search.results[0].data() : null;
  return [performance.now() - t, search.results.length, first ? first.url : null];
}"""


def pagefind(site: Path, python: str, base: str) -> None:
    start = time.perf_counter()
    subprocess.run([python, "-m", "pagefind", "--site", str(site)], check=True,
                   capture_output=True)  # fmt: skip
    built = time.perf_counter() - start
    print(f"pagefind: index built in {built:.1f} s, {_size(site / 'pagefind') / 1e6:.1f} MB")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        for query in QUERIES:
            page = browser.new_page(bypass_csp=True)  # its WebAssembly needs more than ours
            fetched: list[int] = []
            page.on("response", functools.partial(_note, fetched))
            page.goto(base + "index.html")
            page.wait_for_load_state("load")
            fetched.clear()
            took, count, url = page.evaluate(PAGEFIND_QUERY, query)
            print(
                f"| pagefind | `{query}` | {took / 1000:.2f} s | {sum(fetched) / 1e6:.2f} MB | "
                f"{count} results, first {url} |"
            )
            page.close()
        page = browser.new_page(bypass_csp=True)
        page.goto((site / "index.html").as_uri())
        try:
            page.evaluate(PAGEFIND_QUERY.replace("'/pagefind/", "'./pagefind/"), "critique")
            print("pagefind from file://: works")
        except Exception as error:
            print(f"pagefind from file://: fails ({str(error).splitlines()[0][:120]})")
        browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("site", type=Path)
    parser.add_argument("--pagefind", metavar="PYTHON")
    args = parser.parse_args()
    search = _size(args.site / "search") / 1e6
    print(f"site: {_size(args.site) / 1e6:.1f} MB, search files {search:.1f} MB")
    with served(args.site) as base:
        ours(base)
        if args.pagefind:
            pagefind(args.site, args.pagefind, base)


if __name__ == "__main__":
    main()
