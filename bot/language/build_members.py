"""Build-time half of `build_data`: word lists without frequencies from Debian hunspell dictionaries.

For a language wordfreq has no list for (Estonian), every word form of its hunspell dictionary is
expanded with hunspell's ``unmunch`` and kept when it is lowercase (no names or acronyms), alphabetic and
at most ``MEMBER_MAX_LEN`` letters long; forms that only add the clitic -gi/-ki to another form are left
out. Longer words are left to the letter n-grams.

A word list has no frequencies, so the scorer uses membership: a listed word of n letters scores its
n-gram likelihood divided by the share of the n-gram model's mass that falls on listed words of n letters
(``-log Z_n``, computed here and stored in the file's second header line), which makes the listed words
of each length a proper distribution under the n-gram model.

Needs the Debian packages ``hunspell-tools`` (``unmunch``) and the dictionary's package (``myspell-et``).
"""

from __future__ import annotations

import gzip
import math
import subprocess
from pathlib import Path
from typing import Dict, List, Tuple

DATA_DIR = Path(__file__).parent / "data"
# language -> (dictionary stem under /usr/share/hunspell, its encoding, Debian package and version, licence)
HUNSPELL: Dict[str, Tuple[str, str, str, str]] = {
    "et": ("et_EE", "iso-8859-15", "myspell-et 1:20030606-32", "LGPL-2.1+ and the EKI licence"),
}
# The dictionary's copyright file travels with the derived list (the EKI licence asks for that).
COPYRIGHT = "/usr/share/doc/{package}/copyright"
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
    """Writes data/lexicon/<lang>.words.gz (after the n-grams are written) and, beside it, the dictionary's
    copyright file as <lang>.words.COPYRIGHT; returns the number of forms."""
    forms = expand(lang)
    _, _, package, licence = HUNSPELL[lang]
    header = [
        f"# word forms of up to {MEMBER_MAX_LEN} letters; source Debian {package} via unmunch ({licence})",
        "# -log Z_n\t" + " ".join(str(value) for value in normalizers(lang, forms)),
    ]
    path = DATA_DIR / "lexicon" / f"{lang}.words.gz"
    with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as out:
        out.write(("\n".join(header + forms) + "\n").encode("utf-8"))
    copyright_text = Path(COPYRIGHT.format(package=package.split()[0])).read_text(encoding="utf-8")
    path.with_name(f"{lang}.words.COPYRIGHT").write_text(copyright_text, encoding="utf-8")
    return len(forms)
