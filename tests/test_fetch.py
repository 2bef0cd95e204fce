"""`graphkit fetch` end to end on recorded responses of the four services (never the network).

The recordings are in tests/data/fetch/ (see SOURCE.md there); :mod:`fetch_replay` answers
from them through an ``httpx`` transport, and a fake clock makes every wait instant.
"""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import networkx as nx
import orjson
import pytest
from click.testing import CliRunner

from graphkit.cli import cli
from graphkit.errors import ExitCode, FetchError
from graphkit.fetch import FetchOptions, HttpClient, fetch
from graphkit.fetch.arxiv import Arxiv
from graphkit.fetch.http import FakeClock, request_key
from graphkit.fetch.ids import Ident
from graphkit.fetch.records import FIELDS, work
from graphkit.fetch.s2 import SemanticScholar

from .fetch_replay import Offline, Replay


@pytest.fixture()
def run(tmp_path, monkeypatch):
    """Invoke `graphkit fetch ...` replaying the named recordings; returns (result, replay, clock)."""
    cache = tmp_path / "cache"

    def invoke(names, *args, transport=None):
        replay = transport or Replay(*names)
        clock = FakeClock()
        monkeypatch.setattr(
            "graphkit.fetch.cli.client_options", lambda: {"transport": replay, "clock": clock}
        )
        result = CliRunner().invoke(
            cli, ["fetch", *args, "--cache-dir", str(cache)], catch_exceptions=False
        )
        return result, replay, clock

    return invoke


def _lines(path: Path) -> list[dict]:
    return [orjson.loads(line) for line in path.read_bytes().splitlines()]


def _build(tmp_path: Path, jsonl: Path) -> nx.Graph:
    out = tmp_path / "out"
    result = CliRunner().invoke(
        cli, ["-q", "build", str(jsonl), "-o", str(out)], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    data = json.loads((out / "graph.json").read_text())
    return nx.node_link_graph(data, edges="links" if "links" in data else "edges")


# --- OpenAlex ---------------------------------------------------------------------------------


def test_openalex_lookup_and_references_build_and_rerun_from_cache(run, tmp_path) -> None:
    out = tmp_path / "oa.jsonl"
    result, replay, _ = run(
        ["openalex"], "openalex", "W2741809807", "--expand", "references", "-o", str(out)
    )
    assert result.exit_code == 0, result.output
    records = _lines(out)
    seed = records[0]
    assert list(seed) == list(FIELDS)
    assert seed["openalex_id"] == "W2741809807" and seed["doi"] == "10.7717/peerj.4375"
    assert seed["title"].startswith("The state of OA")
    assert len(seed["references"]) == 45 and all(
        r.startswith("openalex:W") for r in seed["references"]
    )
    assert seed["abstract"].startswith("Despite growing interest in Open Access")
    # the 45 references went out in one batched OR-filter request (after the seed's look-up)
    assert replay.calls == 2 and replay.log[1].count("%7C") == 44
    assert len(records) > 1 and all(r["title"] for r in records)
    assert "2 requests, 0 answered from the cache" in result.output
    graph = _build(tmp_path, out)
    papers = [n for n, d in graph.nodes(data=True) if d.get("kind", "paper") == "paper"]
    assert len(papers) == len(records)

    again, replay2, _ = run(
        ["openalex"], "openalex", "W2741809807", "--expand", "references", "-o", str(out)
    )
    assert again.exit_code == 0 and replay2.calls == 0  # the rerun costs nothing
    assert "0 requests, 2 answered from the cache" in again.output
    assert _lines(out) == records


def test_openalex_citations_cite_the_seed(run, tmp_path) -> None:
    out = tmp_path / "cites.jsonl"
    result, replay, _ = run(
        ["openalex"], "openalex", "W2741809807", "--expand", "citations", "-o", str(out)
    )
    assert result.exit_code == 0, result.output
    records = _lines(out)
    assert "filter=cites%3AW2741809807" in replay.log[1]
    assert len(records) > 1 and all(records[0]["id"] in r["references"] for r in records[1:])
    # the build links every citing work to the seed with a directed `cites` edge
    graph = _build(tmp_path, out)
    cites = {
        (d["cites_from"], v if d["cites_from"] == u else u)
        for u, v, d in graph.edges(data=True)
        if "cites" in d["kinds"].split(",")
    }
    assert cites == {(r["id"], records[0]["id"]) for r in records[1:]}


def test_openalex_search_follows_the_cursor(run, tmp_path) -> None:
    out = tmp_path / "s.jsonl"
    result, replay, _ = run(
        ["openalex"],
        "openalex",
        "open",
        "access",
        "--limit",
        "25",
        "--page-size",
        "20",
        "-o",
        str(out),
    )
    assert result.exit_code == 0, result.output
    assert replay.calls == 2 and "cursor=IlswLjk5" in replay.log[1]
    # 25 results kept; the snapshot's works without a title are left out (build needs one)
    assert 0 < len(_lines(out)) <= 25


# --- Semantic Scholar ------------------------------------------------------------------------


def test_s2_batch_lookup_is_one_post(run, tmp_path) -> None:
    out = tmp_path / "s2.jsonl"
    result, replay, _ = run(
        ["s2"],
        "s2",
        "CorpusId:470667",
        "10.2139/ssrn.2250500",
        "0f40b1f08821e22e859c6050916cec3667778613",
        "-o",
        str(out),
    )
    assert result.exit_code == 0, result.output
    assert replay.calls == 1 and replay.log[0].startswith("POST")


def test_s2_references_honour_retry_after_and_page(run, tmp_path) -> None:
    out = tmp_path / "refs.jsonl"
    result, replay, clock = run(
        ["s2"],
        "s2",
        "10.2139/ssrn.2250500",
        "--expand",
        "references",
        "--page-size",
        "50",
        "-o",
        str(out),
    )
    assert result.exit_code == 0, result.output
    assert [line.rsplit(" ", 1)[1] for line in replay.log] == ["200", "429", "200", "200"]
    assert 2.0 in clock.slept  # the 429's Retry-After: 2, not the default back-off
    assert clock.slept.count(1.0) >= 1  # and 1 s between requests to S2
    titles = [r["title"] for r in _lines(out)]
    assert "On the Macroeconomics of Microfinance" in titles and len(titles) == len(set(titles))


def test_s2_expansion_fills_the_seeds_references_and_cites(tmp_path) -> None:
    seed = work(title="seed", s2_id="c31c87c591a25c64fbaa82e8ac6a81831b6ac7ce")
    seed["_asked"] = "CorpusID:14514057"
    with HttpClient(transport=Replay("s2"), clock=FakeClock()) as client:
        hop = SemanticScholar(client).expand([seed], "citations", 150)
    assert len(hop.records) > 100  # two pages of 100, cut at 150
    assert all(seed["id"] in r["references"] for r in hop.records)


def test_s2_search_pages_by_offset(run, tmp_path) -> None:
    out = tmp_path / "t.jsonl"
    result, replay, _ = run(["s2"], "s2", "turing", "--limit", "200", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert "offset=100" in replay.log[1]
    # the search endpoint has no reference lists: one batch request per 100 results adds them
    assert replay.calls == 4 and all(line.startswith("POST") for line in replay.log[2:])
    assert len(_lines(out)) == 200


# --- arXiv -----------------------------------------------------------------------------------


def test_arxiv_search_survives_503_and_a_truncated_page(run, tmp_path) -> None:
    out = tmp_path / "ax.jsonl"
    result, replay, clock = run(
        ["arxiv"], "arxiv", "testing", "--limit", "30", "--page-size", "10", "-o", str(out)
    )
    assert result.exit_code == 0, result.output
    statuses = [line.rsplit(" ", 1)[1] for line in replay.log]
    assert statuses == ["200", "503", "200", "200", "200"]  # 503, then the cut page, then whole
    assert clock.slept.count(3.0) >= 2  # Retry-After: 3 and arXiv's 3 s between requests
    records = _lines(out)
    assert len(records) == 30 and all(r["arxiv_id"] for r in records)
    graph = _build(tmp_path, out)
    assert graph.number_of_nodes() >= 30
    # neither the 503 nor the truncated body was cached: the rerun asks nothing
    again, replay2, _ = run(
        ["arxiv"], "arxiv", "testing", "--limit", "30", "--page-size", "10", "-o", str(out)
    )
    assert again.exit_code == 0 and replay2.calls == 0 and _lines(out) == records


def test_arxiv_lookup_batches_ids_and_counts_unknown(run, tmp_path) -> None:
    out = tmp_path / "ids.jsonl"
    result, replay, _ = run(["arxiv"], "arxiv", "0808.05394,1707.08567", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert replay.calls == 1 and "1 asked for but unknown to arxiv" in result.output
    assert [r["id"] for r in _lines(out)] == ["arxiv:1707.08567"]


def test_arxiv_refuses_to_expand_and_reports_bad_ids(run, tmp_path) -> None:
    out = tmp_path / "x.jsonl"
    result, replay, _ = run(
        ["arxiv"], "arxiv", "1605.08386", "--expand", "references", "-o", str(out)
    )
    assert result.exit_code == ExitCode.BAD_CONFIG and replay.calls == 0
    assert "arXiv publishes no citations" in result.output and "Traceback" not in result.output
    bad_id = pytest.raises(FetchError, match="400 Bad Request: incorrect id format for abc")
    with HttpClient(transport=Replay("arxiv"), clock=FakeClock()) as client, bad_id:
        Arxiv(client).lookup([Ident("arxiv", "abc")])


# --- Crossref --------------------------------------------------------------------------------


def test_crossref_lookup_expand_references_counts_unknown_dois(run, tmp_path) -> None:
    out = tmp_path / "cr.jsonl"
    result, replay, _ = run(
        ["crossref"],
        "crossref",
        "10.1109/icdcsw.2003.1203662",
        "--expand",
        "references",
        "-o",
        str(out),
    )
    assert result.exit_code == 0, result.output
    [seed] = _lines(out)
    assert len(seed["references"]) == 13
    assert sum(r.startswith("doi:") for r in seed["references"]) == 3
    assert "3 asked for but unknown to crossref" in result.output
    assert replay.calls == 4


def test_crossref_many_dois_keep_their_reference_lists(run, tmp_path) -> None:
    out = tmp_path / "many.jsonl"
    dois = [
        "10.1371/journal.pone.0033693",
        "10.1016/j.neurobiolaging.2010.03.024",
        "10.1002/jor.1100150407",
        "10.1038/srep16696",
        "10.3892/ijo_00000353",
    ]
    result, _, _ = run(["crossref"], "crossref", *dois, "-o", str(out))
    assert result.exit_code == 0, result.output
    refs = {r["doi"]: len(r["references"]) for r in _lines(out)}
    # (PLoS lists one of its 70 references twice: kept once)
    assert refs == {
        "10.1371/journal.pone.0033693": 69,
        "10.1016/j.neurobiolaging.2010.03.024": 57,
        "10.1002/jor.1100150407": 36,
        "10.1038/srep16696": 62,
        "10.3892/ijo_00000353": 0,
    }
    _build(tmp_path, out)


def test_crossref_search_follows_cursor_and_looks_up_bare_items(run, tmp_path) -> None:
    out = tmp_path / "lit.jsonl"
    result, replay, _ = run(
        ["crossref"], "crossref", "litstudy", "--limit", "200", "--page-size", "100", "-o", str(out)
    )
    assert result.exit_code == 0, result.output
    assert "cursor=%2A" in replay.log[0] and "cursor=DnF1" in replay.log[1]
    assert {r["title"] for r in _lines(out)} == {
        "Litstudy: A Python Package for Literature Reviews",
        "litstudy: A Python package for literature reviews",
    }


# --- robustness --------------------------------------------------------------------------------


def test_offline_is_one_line_and_leaves_the_old_output(run, tmp_path) -> None:
    out = tmp_path / "keep.jsonl"
    out.write_text("old\n")
    result, _, _ = run([], "openalex", "W2741809807", "-o", str(out), transport=Offline())
    assert result.exit_code == ExitCode.NETWORK
    assert result.output.startswith("Error: cannot reach api.openalex.org")
    assert len(result.output.strip().splitlines()) == 1
    assert out.read_text() == "old\n"


def test_interrupted_fetch_resumes_from_the_cache(run, tmp_path) -> None:
    out = tmp_path / "r.jsonl"

    class Dies(Replay):  # the network goes away after the first answer
        def _handle(self, request):
            if self.calls >= 1:
                raise httpx.ConnectError("network gone", request=request)
            return super()._handle(request)

    args = ("s2", "turing", "--limit", "200", "-o", str(out))
    result, _, _ = run([], *args, transport=Dies("s2"))
    assert result.exit_code == ExitCode.NETWORK and not out.exists()
    assert "rerun resumes" in result.output
    result, replay, _ = run(["s2"], *args)
    assert result.exit_code == 0 and "offset=100" in replay.log[0]  # not the cached first page
    assert "3 requests, 1 answered from the cache" in result.output
    assert len(_lines(out)) == 200


def test_cache_keys_leave_out_the_callers_identity() -> None:
    a = request_key("GET", "https://x/works", {"search": "q", "mailto": "me@x.org"}, b"")
    b = request_key("GET", "https://x/works", {"search": "q", "api_key": "k"}, b"")
    assert a == b != request_key("GET", "https://x/works", {"search": "r"}, b"")


def test_rate_limit_spaces_requests_per_host() -> None:
    clock = FakeClock()
    with HttpClient(transport=Replay("arxiv"), clock=clock) as client:
        fetch(FetchOptions(service="arxiv", terms=("1605.08386",)), client)
        fetch(FetchOptions(service="arxiv", terms=("1707.08567",)), client)
    assert clock.slept == [3.0]


def _always(status: int, headers: dict[str, str]) -> httpx.MockTransport:
    return httpx.MockTransport(lambda request: httpx.Response(status, headers=headers))


def test_out_of_quota_stops_with_one_line(run, tmp_path) -> None:
    out = tmp_path / "q.jsonl"
    transport = _always(429, {"Retry-After": "1"})
    result, _, clock = run([], "s2", "turing", "-o", str(out), transport=transport)
    assert result.exit_code == ExitCode.NETWORK and not out.exists()
    assert result.output.startswith("Error: api.semanticscholar.org refuses more requests (429")
    assert len(result.output.strip().splitlines()) == 1
    assert clock.slept.count(1.0) >= 5  # five retries, each after the Retry-After it was given
    # a service asking for an hour is not waited for: one try, then the message
    result, _, clock = run(
        [], "s2", "turing", "-o", str(out), transport=_always(429, {"Retry-After": "3600"})
    )
    assert result.exit_code == ExitCode.NETWORK and "retry after 3600 s" in result.output
    assert 3600 not in clock.slept


def test_server_errors_back_off_exponentially(tmp_path) -> None:
    clock = FakeClock()
    failing = pytest.raises(FetchError, match="502 Bad Gateway")
    with HttpClient(transport=_always(502, {}), clock=clock, intervals={}) as client, failing:
        client.get("https://api.crossref.org/works/10.1000/x")
    assert clock.slept == [1.0, 2.0, 4.0, 8.0, 16.0]


def test_ctrl_c_says_how_to_resume(run, tmp_path) -> None:
    def interrupt(request: httpx.Request) -> httpx.Response:
        raise KeyboardInterrupt

    out = tmp_path / "i.jsonl"
    result, _, _ = run(
        [],
        "crossref",
        "10.1038/srep16696",
        "-o",
        str(out),
        transport=httpx.MockTransport(interrupt),
    )
    assert result.exit_code == ExitCode.NETWORK and not out.exists()
    assert "interrupted" in result.output and "cached" in result.output


def test_without_httpx_the_error_names_the_extra(monkeypatch) -> None:
    monkeypatch.setitem(__import__("sys").modules, "httpx", None)
    with pytest.raises(FetchError, match=r"pip install 'graphkit\[fetch\]'"):
        HttpClient()


def test_progress_bar_shows_records_and_requests() -> None:
    import io

    from rich.console import Console

    from graphkit.fetch.cli import _Bar

    buf = io.StringIO()
    with _Bar(Console(file=buf, force_terminal=True, width=100)) as bar:
        bar.on_request(False)
        bar.on_request(True)
        bar("search", 40, 100)
    text = buf.getvalue()
    assert "search" in text and "40/100" in text and "1 requests, 1 from cache" in text


def test_two_hops_stop_where_the_references_end(run, tmp_path) -> None:
    out = tmp_path / "d2.jsonl"
    args = ("openalex", "W2741809807", "--expand", "references", "--depth", "2", "-o", str(out))
    result, replay, _ = run(["openalex"], *args)
    assert result.exit_code == 0, result.output
    # hop 2 asks nothing: the works found in hop 1 list no references of their own
    assert replay.calls == 2 and len(_lines(out)) > 1


def test_ids_or_query() -> None:
    from graphkit.fetch.ids import parse_idents

    kinds = [i.kind for i in parse_idents(["W2741809807", "CorpusId:470667", "PMID:19872477"])]
    assert kinds == ["openalex", "corpusid", "pmid"]
    assert parse_idents(["10.1038/srep16696", "graph", "neural"]) is None  # a query
