"""Page weight: the bytes a browser transfers for a survey page and for a results page with
charts, on a first visit and on a repeat visit (cached assets).

    python benchmarks/page_weight.py

Fetched through the Flask test client, as a browser would: the page, then every stylesheet,
script and image it links, with `Accept-Encoding: br, gzip`. The app compresses plotly.js
itself; HTML, CSS and the small scripts are counted both as sent by the app and gzip-compressed
as the reverse proxy (nginx `gzip on;`, Caddy `encode`) sends them. Headers are counted too.
Repeat visit: assets with `immutable` are not requested at all; the others are revalidated
(If-None-Match -> 304, headers only). Targets: survey page < 40 KB and no JavaScript needed;
results page < 1.5 MB first load, < 50 KB repeat.
"""

from __future__ import annotations

import argparse
import gzip
import html.parser
import random
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assess.db import db  # noqa: E402
from assess.models import Participant  # noqa: E402
from assess.survey import tokens  # noqa: E402
from assess.web.maintenance import precompress_plotly  # noqa: E402
from benchmarks.world import app_for, seed  # noqa: E402
from tests import factories  # noqa: E402

BROWSER = {"Accept-Encoding": "br, gzip, deflate", "Accept": "text/html,*/*"}


class Links(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.assets: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "link" and a.get("rel") == "stylesheet" and a.get("href"):
            self.assets.append(a["href"])
        elif tag in ("script", "img") and a.get("src") and not a["src"].startswith("data:"):
            self.assets.append(a["src"])
        if tag == "script" and a.get("data-plotly"):
            # charts.js fetches plotly.js when the first chart comes into view: counted as
            # loaded, as for a reader who scrolls through the results.
            self.assets.append(a["data-plotly"])


@dataclass
class Transfer:
    path: str
    status: int
    header_bytes: int
    body_bytes: int  # as sent by the app
    wire_bytes: int  # as a compressing proxy sends it
    encoding: str
    cache: str


@dataclass
class Visit:
    transfers: list[Transfer] = field(default_factory=list)

    def total(self, wire: bool = True) -> int:
        return sum(
            t.header_bytes + (t.wire_bytes if wire else t.body_bytes) for t in self.transfers
        )

    def script_bytes(self) -> int:
        return sum(t.wire_bytes for t in self.transfers if t.path.split("?")[0].endswith(".js"))


def fetch(client, path: str, headers: dict) -> tuple[Transfer, object]:
    response = client.get(path, headers=headers)
    body = response.get_data()
    encoding = response.headers.get("Content-Encoding", "")
    compressible = response.mimetype in ("text/html", "text/css", "text/javascript")
    wire = len(body)
    if not encoding and compressible and body:
        wire = len(gzip.compress(body, 6))  # nginx's default gzip level
        encoding = "gzip (proxy)"
    header_bytes = len(f"HTTP/1.1 {response.status}\r\n") + sum(
        len(k) + len(v) + 4 for k, v in response.headers.items()
    )
    transfer = Transfer(
        path,
        response.status_code,
        header_bytes,
        len(body),
        wire,
        encoding or "-",
        response.headers.get("Cache-Control", "-"),
    )
    return transfer, response


def visit(client, path: str, cache: dict[str, str] | None = None) -> tuple[Visit, dict[str, str]]:
    """A page and its assets; with `cache` (path -> ETag), as a browser's repeat visit."""
    result, etags = Visit(), {}
    page, response = fetch(client, path, BROWSER)
    assert page.status == 200, f"{path} gave {page.status}"
    result.transfers.append(page)
    parser = Links()
    parser.feed(response.get_data(as_text=True))
    for asset in parser.assets:
        asset_path = urlsplit(asset).path + (
            "?" + urlsplit(asset).query if urlsplit(asset).query else ""
        )
        if cache is not None and asset_path in cache:
            if cache[asset_path] == "immutable":
                continue  # served from the browser cache without a request
            headers = {**BROWSER, "If-None-Match": cache[asset_path]}
        else:
            headers = BROWSER
        transfer, asset_response = fetch(client, asset_path, headers)
        result.transfers.append(transfer)
        if "immutable" in transfer.cache or "max-age=31536000" in transfer.cache:
            etags[asset_path] = "immutable"
        elif asset_response.headers.get("ETag"):
            etags[asset_path] = asset_response.headers["ETag"]
    return result, etags


def prepare(database_url: str):
    """A participant halfway the intake, and one with intake and exit submitted."""
    links = seed(database_url, 2)
    app = app_for(database_url)
    with app.app_context():
        person = db.session.get(Participant, 2)
        rng = random.Random(7)
        for moment, growth in (("intake", 0.0), ("exit", 0.15)):
            factories.fill(person, moment, rng=rng, level=0.45, growth=growth)
        db.session.commit()
        links[1] = tokens.current_token(person)
        precompress_plotly()
    return app, links


def show(title: str, result: Visit, target: int | None) -> None:
    print(f"\n{title}")
    for t in result.transfers:
        print(
            f"  {t.status} {t.path[:60]:60} {t.body_bytes:>9,} B sent by app"
            f" {t.wire_bytes:>9,} B on the wire ({t.encoding}) + {t.header_bytes} B headers"
        )
    total = result.total()
    verdict = (
        "" if target is None else f" (target < {target:,} B: {'OK' if total < target else 'OVER'})"
    )
    print(
        f"  total on the wire {total:,} B; JavaScript {result.script_bytes():,} B;"
        f" without proxy compression {result.total(wire=False):,} B{verdict}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        app, links = prepare(f"sqlite:///{tmp}/weight.db")
        survey_client, report_client = app.test_client(), app.test_client()
        assert survey_client.get(f"/s/{links[0]}").status_code == 302
        assert report_client.get(f"/s/{links[1]}").status_code == 302
        page = "/deelnemer/intake/pagina/3"  # the longest page of the intake (11 statements)
        first, cached = visit(survey_client, page)
        show(f"survey page {page}, first visit", first, 40_000)
        again, _ = visit(survey_client, page, cached)
        show("survey page, repeat visit", again, 40_000)
        body = survey_client.get(page).get_data(as_text=True)
        print(
            "  works without JavaScript: a plain <form method=post> with radio buttons;"
            f" scripts on the page: {body.count('<script')} (progressive autosave only)"
        )
        first, cached = visit(report_client, "/deelnemer/rapport")
        show("results page with charts /deelnemer/rapport, first visit", first, 1_500_000)
        again, _ = visit(report_client, "/deelnemer/rapport", cached)
        show("results page with charts, repeat visit", again, 50_000)
        with app.app_context():
            db.engine.dispose()
    print("\nreproduce: python benchmarks/page_weight.py")
    return 0


if __name__ == "__main__":
    sys.exit(main())
