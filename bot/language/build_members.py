"""Build-time half of `build_data`: word lists without frequencies from Debian hunspell dictionaries.

For a language wordfreq has no list for (Estonian), every word form of its hunspell dictionary is
expanded with hunspell's ``unmunch`` and kept when it is lowercase (no names or acronyms), alphabetic and
at most ``MEMBER_MAX_LEN`` letters long; forms that only add the clitic -gi/-ki to another form are left
out. Longer words are left to the letter n-grams. Where tesseract ships a word list for the language
(words seen in web text), only the forms in it are kept: the attested forms are the frequent ones, which
makes the list about 9x smaller at the same tuning-set accuracy (see benchmarks/langid/README.md).

A word list has no frequencies, so the scorer uses membership: a listed word of n letters scores its
n-gram likelihood divided by the share of the n-gram model's mass that falls on listed words of n letters
(``-log Z_n``, computed here and stored in the file's second header line), which makes the listed words
of each length a proper distribution under the n-gram model.

Needs the Debian packages ``hunspell-tools`` (``unmunch``), the dictionary's package (``myspell-et``),
``tesseract-ocr`` (``combine_tessdata``, ``dawg2wordlist``) and ``tesseract-ocr-est``.
"""

from __future__ import annotations

import gzip
import math
import subprocess
import tempfile
from pathlib import Path
from typing import Dict, List, Set, Tuple

DATA_DIR = Path(__file__).parent / "data"
# language -> (dictionary stem under /usr/share/hunspell, its encoding, Debian package and version, licence)
HUNSPELL: Dict[str, Tuple[str, str, str, str]] = {
    "et": ("et_EE", "iso-8859-15", "myspell-et 1:20030606-32", "LGPL-2.1+ and the EKI licence"),
}
# The dictionary's copyright file travels with the derived list (the EKI licence asks for that).
COPYRIGHT = "/usr/share/doc/{package}/copyright"
# language -> (tesseract language code, Debian package and version, licence): the word list inside
# tesseract's trained data (words seen in web text), used to keep only the hunspell forms that are attested
ATTESTED: Dict[str, Tuple[str, str, str]] = {
    "et": ("est", "tesseract-ocr-est 1:4.1.0-2", "Apache-2.0"),
}
TESSDATA = Path("/usr/share/tesseract-ocr/5/tessdata")
HUNSPELL_DIR = Path("/usr/share/hunspell")
MEMBER_MAX_LEN = 8
_CLITICS = ("gi", "ki")


def expand(lang: str) -> List[str]:
    """Sorted lowercase word forms of up to MEMBER_MAX_LEN letters of the language's hunspell dictionary."""
    stem, encoding, _, _ = HUNSPELL[lang]
    raw = subprocess.run(
        ["unmunch", str(HUNSPELL_DIR / f"{stem}.dic"), str(HUNSPELL_DIR / f"{stem}.aff")],
        check=True,
        capture_output=True,
    ).stdout.decode(encoding)
    forms = {form for form in raw.split() if form.isalpha() and form.islower()}
    return sorted(
        form
        for form in forms
        if len(form) <= MEMBER_MAX_LEN and not (form.endswith(_CLITICS) and form[:-2] in forms)
    )


def attested(lang: str) -> Set[str]:
    """Lowercased words of the word list (``lstm-word-dawg``) in tesseract's trained data for the language."""
    code = ATTESTED[lang][0]
    with tempfile.TemporaryDirectory() as tmp:
        prefix = f"{tmp}/{code}."
        subprocess.run(
            ["combine_tessdata", "-u", str(TESSDATA / f"{code}.traineddata"), prefix],
            check=True,
            capture_output=True,
        )
        out = f"{tmp}/words.txt"
        subprocess.run(
            ["dawg2wordlist", f"{prefix}lstm-unicharset", f"{prefix}lstm-word-dawg", out],
            check=True,
            capture_output=True,
        )
        return {word.lower() for word in Path(out).read_text(encoding="utf-8").split()}


def normalizers(lang: str, forms: List[str]) -> List[float]:
    """-log Z_n for n = 1..MEMBER_MAX_LEN: Z_n is the n-gram probability mass of the listed n-letter forms."""
    from bot.language.model import load_language
    from bot.language.scoring import ngram_log_likelihood

    ngrams = load_language(lang).spelled.ngrams
    mass = [0.0] * MEMBER_MAX_LEN
    for form in forms:
        mass[len(form) - 1] += math.exp(ngram_log_likelihood(form, ngrams))
    return [round(-math.log(z), 3) if z > 0 else 0.0 for z in mass]


def build_members(lang: str) -> int:
    """Writes data/lexicon/<lang>.words.gz (after the n-grams are written) and, beside it, the source
    packages' copyright files, unaltered, as <lang>.words.COPYRIGHT; returns the number of forms."""
    forms = expand(lang)
    _, _, package, licence = HUNSPELL[lang]
    source = f"Debian {package} via unmunch ({licence})"
    if lang in ATTESTED:
        seen = attested(lang)
        forms = [form for form in forms if form in seen]
        _, tess_package, tess_licence = ATTESTED[lang]
        source += f", kept if in the word list of Debian {tess_package} ({tess_licence})"
    header = [
        f"# word forms of up to {MEMBER_MAX_LEN} letters; source {source}",
        "# -log Z_n\t" + " ".join(str(value) for value in normalizers(lang, forms)),
    ]
    path = DATA_DIR / "lexicon" / f"{lang}.words.gz"
    with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as out:
        out.write(("\n".join(header + forms) + "\n").encode("utf-8"))
    packages = [package] + ([ATTESTED[lang][1]] if lang in ATTESTED else [])
    copyright_text = "\n".join(
        f"=== Debian package {name}: {COPYRIGHT.format(package=name.split()[0])} ===\n\n"
        + Path(COPYRIGHT.format(package=name.split()[0])).read_text(encoding="utf-8")
        for name in packages
    )
    path.with_name(f"{lang}.words.COPYRIGHT").write_text(copyright_text, encoding="utf-8")
    return len(forms)
