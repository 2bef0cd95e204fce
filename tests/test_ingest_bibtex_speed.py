"""BibTeX read fast: LaTeX decoded without pylatexenc where the markup is common, names split
without bibtexparser's name parser where no braces are involved, big files in forked workers --
all giving the papers the plain path gives. Plus the ingest benchmark's writers (every reader on
the same records)."""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path

import pytest
from bibtexparser import middlewares as mw
from hypothesis import given, settings
from hypothesis import strategies as st

import graphkit.ingest.bibtex as bibtex
from graphkit.ingest import read_file
from graphkit.ingest.bibtex import decode_latex, parse_bibtex
from graphkit.ingest.normalise import clean_text
from graphkit.ingest.record import ReadContext

REPO = Path(__file__).resolve().parents[1]
ARXIV50 = REPO / "tests" / "data" / "ingest" / "arxiv-50.jsonl"
_PYLATEXENC = mw.LatexDecodingMiddleware(True)


def _reference(value: str) -> str:
    return clean_text(
        _PYLATEXENC._transform_python_value_string(value)[0].replace("{", "").replace("}", "")
    )


def _fast(value: str) -> str:
    return clean_text(
        decode_latex(value, lambda t: _PYLATEXENC._transform_python_value_string(t)[0])
        .replace("{", "")
        .replace("}", "")
    )


@pytest.mark.parametrize(
    "value",
    [
        'M{\\"u}nchen and Z{\\"u}rich',
        "Fran{\\c c}ois Garc{\\'\\i}a",
        '\\"{O}zg\\"{u}r \\v{S}imon',
        "R\\&D -- the ``best'' way",
        "{--}--: a group does not join dashes",
        "We \\textbf{propose \\emph{X}} and {\\em y} z",
        "{BERT}: pre-training of deep {T}ransformers",
        "cost $O(n^2)$ and $\\alpha$-divergence",
        "{\\ss}tra{\\ss}e and {\\o}re",
        "\\url{https://github.com/x/y}",
        "plain text, nothing to decode",
        "a \\cite{k} b \\textsuperscript{2} c",  # pylatexenc for these words only
    ],
)
def test_fast_decoding_gives_pylatexencs_text(value: str) -> None:
    assert _fast(value) == _reference(value)


_TOKENS = list("abcXYZ -,.:{}") + ['\\"', "\\'", "\\c ", "\\&", "--", "$x$", "\\emph{", "{\\em "]
_TEXT = st.lists(st.sampled_from(_TOKENS), max_size=25).map("".join)


@settings(max_examples=200, deadline=None)
@given(_TEXT)
def test_fast_decoding_agrees_on_generated_markup(value: str) -> None:
    try:
        expected = _reference(value)
    except Exception:  # pylatexenc rejects some broken markup outright
        return
    if value.count("{") != value.count("}"):
        return  # unbalanced braces: bibtexparser would not hand such a value over
    if re.search(r"\\[\"'](?![A-Za-z{])|\\c (?![A-Za-z])", value):
        return  # an accent on nothing (broken markup): pylatexenc's guess is no reference
    assert _fast(value) == expected


def test_values_pylatexenc_cuts_short_are_kept_whole() -> None:
    # pylatexenc reads an unescaped % as a comment and drops the rest of the abstract
    value = "accuracy up to 60% during training and 37% during inference"
    assert _reference(value) == "accuracy up to 60"
    assert _fast(value) == value


def test_names_without_braces_split_as_bibtexparser_does() -> None:
    bib = (
        '@article{a, title={T}, author={van Beethoven, Ludwig and M{\\"u}ller, J. and '
        "King, Jr, Martin Luther and Ada Lovelace and {Barnes and Noble}}}\n"
        "@article{b, title={U}, author={Smith, John and DOE, Jane and others}}\n"
    )
    a, b = parse_bibtex(bib, ReadContext("x.bib"))
    assert a.authors == (
        "Ludwig van Beethoven",
        "J. Müller",
        "Martin Luther King, Jr",
        "Ada Lovelace",
        "Barnes and Noble",
    )
    assert b.authors == ("John Smith", "Jane DOE")


def _bench_ingest():
    spec = importlib.util.spec_from_file_location("bench_ingest", REPO / "bench" / "ingest.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_big_files_parsed_in_parallel_give_the_same_papers(tmp_path, monkeypatch) -> None:
    bench = _bench_ingest()
    records = [json.loads(line) for line in ARXIV50.read_text(encoding="utf-8").splitlines()]
    path = tmp_path / "many.bib"
    bench.write_bibtex(records * 4, path)
    serial, report = read_file(path)
    monkeypatch.setattr(bibtex, "PARALLEL_MIN_CHARS", 1000)
    monkeypatch.setattr(bibtex, "_cores", lambda: 3)
    parallel, _ = read_file(path)
    assert len(serial) == 200 and parallel == serial
    assert [p.sources for p in parallel] == [p.sources for p in serial]


def test_every_reader_reads_the_benchmarks_files_alike(tmp_path) -> None:
    bench = _bench_ingest()
    records = [json.loads(line) for line in ARXIV50.read_text(encoding="utf-8").splitlines()]
    titles = None
    for fmt, writer in bench.WRITERS.items():
        path = tmp_path / f"same{bench.SUFFIX[fmt]}"
        writer(records, path)
        papers, report = read_file(path)
        assert report.format == fmt and len(papers) == len(records), fmt
        got = [clean_text(p.title) for p in papers]
        titles = titles or got
        assert got == titles, fmt
        assert all(p.authors for p in papers[:5]), fmt
    big = bench.big_bibtex_folder(str(ARXIV50), 120, tmp_path / "big", files=3)
    assert len(list(big.glob("*.bib"))) == 3


# -- the fast splitter cuts text into the blocks bibtexparser's splitter makes ---------------

_WORDS = ["x", "y z", ",", "=", "@", "a@b", "\\&", '\\"u', "\\{", "\\}", "\\\\", "\n", " ", "é",
          "#", "(", ")", '"', "\\,", "@misc(", "\n@", "{\"}"]  # fmt: skip


@st.composite
def _bibtex_text(draw) -> str:
    def value(depth: int = 0) -> str:
        parts = []
        for _ in range(draw(st.integers(0, 4))):
            if depth < 7 and draw(st.integers(0, 3)) == 0:
                parts.append("{" + value(depth + 1) + "}")
            else:
                parts.append(draw(st.sampled_from(_WORDS)))
        return "".join(parts)

    out = []
    for j in range(draw(st.integers(1, 3))):
        fields = []
        for _ in range(draw(st.integers(0, 3))):
            kind = draw(st.integers(0, 3))
            v = {0: "{" + value() + "}", 1: '"' + value().replace('"', "") + '"'}.get(
                kind, draw(st.sampled_from(["2019", "abc", "{a} # {b}"]))
            )
            name = draw(st.sampled_from(["title", "Title", "author", "note", "x-y"]))
            fields.append(draw(st.sampled_from([" ", "\n  "])) + name + " = " + v)
        out.append(
            draw(st.sampled_from(["", "  "]))
            + "@"
            + draw(st.sampled_from(["article", "Misc", "comment", "string"]))
            + draw(st.sampled_from(["{", " {", "("]))
            + f"k{j}"
            + draw(st.sampled_from([",", ""]))
            + ",".join(fields)
            + draw(st.sampled_from(["", ","]))
            + draw(st.sampled_from(["}", ")", "\n}"]))
            + draw(st.sampled_from(["\n", "\n\n", "\n% c\n", " x\n"]))
        )
    return "".join(out)


def _blocks(pairs) -> list[tuple]:
    from bibtexparser.model import DuplicateBlockKeyBlock, Entry, ParsingFailedBlock

    from graphkit.ingest.bibsplit import FastEntry

    out = []
    for line, block in pairs:
        if isinstance(block, DuplicateBlockKeyBlock):
            block = block.ignore_error_block
        if isinstance(block, FastEntry):
            out.append((line, block.entry_type, block.key, list(block.fields)))
        elif isinstance(block, Entry):
            fields = [(f.key, f.value) for f in block.fields]
            out.append((line, block.entry_type, block.key, fields))
        elif isinstance(block, ParsingFailedBlock):
            out.append((line, "failed"))
    return out


@settings(max_examples=400, deadline=None)
@given(_bibtex_text())
def test_fast_splitter_gives_bibtexparsers_entries(text: str) -> None:
    import bibtexparser

    from graphkit.ingest.bibsplit import split_entries

    stack = [mw.ResolveStringReferencesMiddleware(True)] if "@string" in text.lower() else []
    library = bibtexparser.parse_string(text, parse_stack=stack)
    expected = _blocks((b.start_line, b) for b in library.blocks)
    got = _blocks(split_entries(text))
    # the same blocks and fields; lines too, except where bibtexparser miscounts them (it
    # skips a newline after a backslash)
    assert [b[1:] for b in got] == [b[1:] for b in expected]
    if "\\\n" not in text:
        assert got == expected


def test_fast_splitter_takes_the_common_shapes_and_leaves_the_rest() -> None:
    from graphkit.ingest.bibsplit import FastEntry, split_entries

    text = (
        '% exported\n@article{a, title = {A {B {C {D}}}}, note = "x, {y}", year = 2020,\n}\n'
        "@misc(b, title={x})\n"  # ( ... ): bibtexparser
        "@article{c, title={{{{{{deep}}}}}}}\n"  # deeper than MAX_DEPTH: bibtexparser
        "@article{d, title={x}, title={y}}\n"  # a duplicate field: bibtexparser's error block
        "@article{e, title={unclosed}\n"
        "@article{f, title={ok}}\n"
    )
    blocks = list(split_entries(text))
    kinds = [(line, type(b).__name__) for line, b in blocks]
    assert kinds == [
        (1, "FastEntry"),
        (3, "Entry"),
        (4, "Entry"),
        (5, "DuplicateFieldKeyBlock"),
        (6, "ParsingFailedBlock"),
        (7, "FastEntry"),
    ]
    assert blocks[0][1] == FastEntry(
        "article", "a", [("title", "{A {B {C {D}}}}"), ("note", '"x, {y}"'), ("year", "2020")]
    )
