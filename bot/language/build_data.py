"""Regenerate the data files under ``bot/language/data/`` (build time only, never imported at run time).

Sources and licences (see ``data/SOURCES.md``):

* character n-grams (orders 1-4): the language models shipped inside the PyPI wheel
  ``lingua-language-detector==1.3.5`` (Apache-2.0, trained by Peter M. Stahl on the Leipzig Corpora
  Collection). Lingua stores conditional probabilities; we convert them to joint probabilities and prune the
  rare ones.
* word lexicons: the ``small`` word-frequency lists of ``wordfreq`` 3.0.x (data CC-BY-SA 4.0, by Robyn
  Speer and contributors), words with a frequency of at least 1e-6, for the languages wordfreq has.
* word lists without frequencies, for languages wordfreq lacks (Estonian): the word forms of a Debian
  hunspell dictionary up to ``MEMBER_MAX_LEN`` letters, expanded with hunspell's ``unmunch``, that also
  occur in tesseract's word list for the language (see ``build_members.py`` and ``data/SOURCES.md``).

Needs: ``pip install wordfreq==3.0.3 brotli``, network access to PyPI to download the lingua 1.3.5 wheel
(or ``--lingua-wheel PATH``) and the Debian packages ``hunspell-tools myspell-et tesseract-ocr
tesseract-ocr-est`` (``apt-get install`` them). Run: ``python -m bot.language.build_data`` from the
repository root.
"""

from __future__ import annotations

import argparse
import gzip
import json
import math
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path
from typing import Dict, Iterable

from bot.language.build_members import HUNSPELL, build_members

DATA_DIR = Path(__file__).parent / "data"
LINGUA_VERSION = "1.3.5"
# Languages we ship data for; any of them may be a candidate. Others can be added here and rebuilt.
LANGUAGES = ("tr", "fi", "hu", "en", "de", "et", "az")
ORDERS = ("unigrams", "bigrams", "trigrams", "quadrigrams")
# Joint probability below which an n-gram of order >= 3 is dropped (keeps the data a few MB).
MIN_JOINT = {1: 0.0, 2: 1e-8, 3: 4e-8, 4: 1.5e-7}
SCALE = 1e10  # joint probabilities are stored as integer counts per SCALE characters
MIN_ZIPF = 3.0  # wordfreq's "small" lists stop at 1e-6 (Zipf 3) for every language: same depth for all


def _lingua_wheel(path: str | None) -> Path:
    if path:
        return Path(path)
    target = Path(tempfile.mkdtemp(prefix="lingua-wheel-"))
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--no-deps",
            "-q",
            "-d",
            str(target),
            f"lingua-language-detector=={LINGUA_VERSION}",
        ],
        check=True,
    )
    return next(target.glob("*.whl"))


def _conditional_tables(wheel: zipfile.ZipFile, lang: str) -> Iterable[Dict[str, float]]:
    import brotli  # build-time dependency only

    for order in ORDERS:
        raw = wheel.read(f"lingua/language-models/{lang}/{order}.json.br")
        fractions = json.loads(brotli.decompress(raw))["ngrams"]
        table: Dict[str, float] = {}
        for fraction, ngrams in fractions.items():
            numerator, denominator = fraction.split("/")
            value = int(numerator) / int(denominator)
            for ngram in ngrams.split(" "):
                table[ngram] = value
        yield table


def build_ngrams(wheel: zipfile.ZipFile, lang: str) -> Dict[str, int]:
    """Joint n-gram counts (per SCALE characters) from lingua's conditional probabilities."""
    joint: Dict[str, float] = {}
    for order, table in enumerate(_conditional_tables(wheel, lang), start=1):
        for ngram, cond in table.items():
            if not ngram.isalpha():
                continue
            prefix = 1.0 if order == 1 else joint.get(ngram[:-1], 0.0)
            value = cond * prefix
            if value > MIN_JOINT[order]:
                joint[ngram] = value
    return {ngram: round(value * SCALE) for ngram, value in joint.items() if round(value * SCALE) > 0}


def build_lexicon(lang: str) -> Dict[str, int]:
    """Word -> Zipf frequency x 100 from wordfreq's small list; empty if wordfreq lacks the language."""
    import wordfreq  # build-time dependency only

    # wordfreq silently substitutes a "nearest" language (az -> ru): only take exact matches
    if lang not in wordfreq.available_languages("small"):
        return {}
    freqs = wordfreq.get_frequency_dict(lang, "small")
    lexicon = {}
    for word, freq in freqs.items():
        zipf = math.log10(freq) + 9
        if zipf >= MIN_ZIPF and any(ch.isalpha() for ch in word) and " " not in word:
            lexicon[word] = round(zipf * 100)
    return lexicon


def _write(path: Path, header: str, rows: Dict[str, int]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [f"# {header}"] + [f"{key}\t{value}" for key, value in sorted(rows.items())]
    # mtime=0 keeps the output byte-identical between runs
    with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as out:
        out.write(("\n".join(lines) + "\n").encode("utf-8"))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lingua-wheel", help="path to lingua_language_detector-1.3.5 wheel")
    args = parser.parse_args(argv)
    with zipfile.ZipFile(_lingua_wheel(args.lingua_wheel)) as wheel:
        for lang in LANGUAGES:
            ngrams = build_ngrams(wheel, lang)
            _write(
                DATA_DIR / "ngrams" / f"{lang}.tsv.gz",
                f"joint char n-gram counts per {SCALE:.0e}; source lingua-language-detector "
                f"{LINGUA_VERSION} (Apache-2.0)",
                ngrams,
            )
            lexicon = build_lexicon(lang)
            if lexicon:
                _write(
                    DATA_DIR / "lexicon" / f"{lang}.tsv.gz",
                    "word, Zipf x 100; source wordfreq small list (CC-BY-SA 4.0)",
                    lexicon,
                )
            print(f"{lang}: {len(ngrams)} n-grams, {len(lexicon)} words", file=sys.stderr)
    for lang in HUNSPELL:
        count = build_members(lang)
        print(f"{lang}: {count} word forms from hunspell", file=sys.stderr)


if __name__ == "__main__":
    main()
