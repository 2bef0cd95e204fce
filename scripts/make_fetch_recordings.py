"""Build tests/data/fetch/*.json (the responses `graphkit fetch` tests replay) from ../shared/fixtures.

Run once from the repository root: ``python scripts/make_fetch_recordings.py`` (needs PyYAML
for the Semantic Scholar cassettes).  Every recorded body is copied unchanged; the few
responses that no fixture recorded are marked ``"assembled": "<why>"`` and described in
tests/data/fetch/SOURCE.md.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
FIX = ROOT.parent / "shared" / "fixtures"
OUT = ROOT / "tests" / "data" / "fetch"


def rec(method, url, status, body, *, json_body=None, headers=None, assembled=""):  # noqa: ANN001, ANN201
    item = {"method": method, "url": url, "status": status, "headers": headers or {}, "body": body}
    if json_body is not None:
        item["request_json"] = json_body
    if assembled:
        item["assembled"] = assembled
    return item


def s2() -> list[dict]:
    out = []
    base = FIX / "semanticscholar" / "tests" / "data"
    for name, keep in (
        ("test_get_papers.yaml", None),
        ("test_get_paper_references.yaml", None),
        ("test_search_paper_next_page.yaml", None),
        ("test_get_paper_citations.yaml", 2),
    ):
        inter = yaml.safe_load((base / name).read_text())["interactions"][:keep]
        for i in inter:
            req, resp = i["request"], i["response"]
            body = req.get("body") or None
            out.append(
                rec(
                    req["method"],
                    req["uri"],
                    int((resp.get("status") or {}).get("code") or resp["status_code"]),
                    resp["content"] if "content" in resp else resp["body"]["string"],
                    json_body=json.loads(body) if body else None,
                    headers={"Content-Type": "application/json"},
                )
            )
    batch = json.loads(out[0]["body"])
    out.append(
        rec(
            "POST",
            "https://api.semanticscholar.org/graph/v1/paper/batch?fields=authors",
            200,
            json.dumps([batch[1]]),
            json_body={"ids": ["10.2139/ssrn.2250500"]},
            assembled="the recorded 3-ID batch answer cut to the entry for the one ID asked",
        )
    )
    # reference lists of the `turing` search results (the search endpoint cannot return them)
    found = [
        p["paperId"]
        for o in out
        if "/paper/search?query=turing" in o["url"]
        for p in json.loads(o["body"])["data"]
    ]
    for at in range(0, len(found), 100):
        ids = found[at : at + 100]
        out.append(
            rec(
                "POST",
                "https://api.semanticscholar.org/graph/v1/paper/batch?fields=references.paperId",
                200,
                json.dumps([{"paperId": i, "references": []} for i in ids]),
                json_body={"ids": ids},
                assembled="batch answer of the search results' IDs; their reference lists were "
                "not recorded, so each is empty",
            )
        )
    # a 429 with Retry-After before the first references page (S2 sends these to unkeyed callers)
    refs = next(o for o in out if "references?" in o["url"] and "offset=0" in o["url"])
    out.insert(
        out.index(refs),
        rec(
            "GET",
            refs["url"],
            429,
            '{"message": "Too Many Requests. Please wait and try again or apply for a key '
            'for higher rate limits."}',
            headers={"Retry-After": "2", "Content-Type": "application/json"},
            assembled="S2's 429 answer (message text as S2 sends it) with a Retry-After header",
        ),
    )
    return out


def arxiv() -> list[dict]:
    out = []
    base = FIX / "arxiv" / "tests" / "fixtures"
    for path in sorted(base.glob("*.json")):
        if path.name.startswith("q_testing_s") and not any(
            path.name.startswith(f"q_testing_s{s}_m10_") for s in (0, 10, 20)
        ):
            continue
        if "_s0_m100_cfe" in path.name:
            continue
        d = json.loads(path.read_text())
        out.append(
            rec("GET", d["url"], d["status_code"], d["body"].encode("latin-1").decode("utf-8"))
        )
    page2 = next(o for o in out if "start=10&" in o["url"])
    i = out.index(page2)
    out.insert(
        i,
        rec(
            "GET",
            page2["url"],
            200,
            page2["body"][:5000],
            assembled="the recorded page cut after 5,000 characters (a connection dropped mid-body)",
        ),
    )
    out.insert(
        i,
        rec(
            "GET",
            page2["url"],
            503,
            "",
            headers={"Retry-After": "3"},
            assembled="arXiv's 503 with Retry-After, its way of asking for the 3 s pause",
        ),
    )
    return out


def crossref() -> list[dict]:
    out = []
    base = FIX / "habanero" / "decoded"
    for path in sorted(base.glob("10.*.json")):
        doi = json.loads(path.read_text())["message"]["DOI"]
        out.append(
            rec("GET", f"https://api.crossref.org/works/{doi}", 200, path.read_text().strip())
        )
    out.append(
        rec(
            "GET",
            "https://api.crossref.org/works?query=ecology&rows=2",
            200,
            (base / "test_works_query.json").read_text().strip(),
        )
    )
    for path in sorted((FIX / "litstudy" / "requests_json").glob("*.json")):
        d = json.loads(path.read_text())
        if "crossref" in d["url"]:
            out.append(rec("GET", d["url"], d["status_code"], json.dumps(d["json"])))
    seed = json.loads((base / "10.1109_icdcsw.2003.1203662.json").read_text())["message"]
    for doi in [r["DOI"] for r in seed["reference"] if r.get("DOI")]:
        out.append(
            rec(
                "GET",
                f"https://api.crossref.org/works/{doi}",
                404,
                "Resource not found.",
                assembled="Crossref's 404 answer for a DOI it does not hold",
            )
        )
    return out


def openalex() -> list[dict]:
    seed = json.loads((FIX / "openalex_python" / "W2741809807.json").read_text())
    part = FIX / "openalex_snapshot_sample" / "works_updated_date=2023-05-16_part_000.gz"
    with gzip.open(part) as fh:
        snap = [json.loads(line) for line in fh]
    api = "https://api.openalex.org/works"
    refs = "|".join(r.rsplit("/", 1)[-1] for r in seed["referenced_works"])

    def page(results, cursor, count):  # noqa: ANN001, ANN202
        meta = {"count": count, "db_response_time_ms": 20, "page": None, "per_page": 50}
        meta["next_cursor"] = cursor
        return json.dumps({"meta": meta, "results": results, "group_by": []})

    env = "list envelope (meta/results) around recorded work objects; no list answer was recorded"
    stand = "recorded snapshot works standing in for works no fixture recorded"
    return [
        rec(
            "GET",
            f"{api}?filter=openalex_id:W2741809807&per-page=50",
            200,
            page([seed], None, 1),
            assembled=env,
        ),
        rec(
            "GET",
            f"{api}?filter=openalex_id:{refs.split('|', 1)[0]}|{refs.split('|', 1)[1]}&per-page=50",
            200,
            page(snap[:10], None, 10),
            assembled=f"{env}; {stand}",
        ),
        rec(
            "GET",
            f"{api}?filter=cites:W2741809807&per-page=200&cursor=*",
            200,
            page(snap[10:27], None, 17),
            assembled=f"{env}; {stand}",
        ),
        rec(
            "GET",
            f"{api}?search=open+access&per-page=20&cursor=*",
            200,
            page(snap[:20], "IlswLjk5LCAnVzQzMTIzNTQxNjEnXSI=", 27),
            assembled=f"{env}; {stand}",
        ),
        rec(
            "GET",
            f"{api}?search=open+access&per-page=20&cursor=IlswLjk5LCAnVzQzMTIzNTQxNjEnXSI=",
            200,
            page(snap[20:27], None, 27),
            assembled=f"{env}; {stand}",
        ),
    ]


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for name, make in (
        ("s2", s2),
        ("arxiv", arxiv),
        ("crossref", crossref),
        ("openalex", openalex),
    ):
        items = make()
        (OUT / f"{name}.json").write_text(json.dumps(items, indent=1, ensure_ascii=False) + "\n")
        print(f"{name}: {len(items)} responses")


if __name__ == "__main__":
    main()
