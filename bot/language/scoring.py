"""Log-likelihood of a word in each language: lexicon when the word is known, letter n-grams otherwise."""

from __future__ import annotations

from typing import Dict, List, Optional, Sequence

from bot.language.model import MAX_ORDER, LanguageModel, Tables
from bot.language.text import fold, spellings

# Stupid back-off: each order we fall back by costs this many nats.
BACKOFF = -1.0
# A letter a language's data has never seen.
UNSEEN_LETTER = -12.0
# log P(word | language) of an unknown word = n-gram likelihood + this (the share of running text made of
# words outside the lexicon, times the missing end-of-word term of lingua's boundary-less n-grams).
OUT_OF_LEXICON = -3.0


def letter_windows(word: str) -> List[str]:
    """For each letter, the letter with up to MAX_ORDER-1 letters before it (the longest n-gram to try)."""
    return [word[end - MAX_ORDER if end > MAX_ORDER else 0 : end] for end in range(1, len(word) + 1)]


def ngram_log_likelihood(word: str, ngrams: Dict[str, float], windows: Optional[List[str]] = None) -> float:
    """Sum over letters of log P(letter | up to MAX_ORDER-1 previous letters), backing off.

    `windows` is `letter_windows(word)` when the caller already has it (it is the same in every language).
    """
    values = list(map(ngrams.get, windows if windows is not None else letter_windows(word)))
    if None not in values:  # the longest context is known for every letter: the common case
        return sum(values)
    total = 0.0
    get = ngrams.get
    for end, value in enumerate(values, start=1):
        if value is not None:
            total += value
            continue
        penalty = BACKOFF
        for shorter in range((end - MAX_ORDER if end > MAX_ORDER else 0) + 1, end):
            value = get(word[shorter:end])
            if value is not None:
                total += value + penalty
                break
            penalty += BACKOFF
        else:
            total += UNSEEN_LETTER
    return total


# A lexicon word at least this frequent (log probability, about Zipf 4.7) beats any n-gram guess of it,
# so the guess is skipped: most words of running text are that frequent.
SURE_WORD = -10.0


# For a language with a word list but no frequencies (`Tables.members`): log P(word | language) of a
# listed n-letter word = n-gram likelihood + member_norm[n-1] (the listed n-letter words as a distribution)
# + MEMBER; of a word short enough to be listed but not listed = the out-of-lexicon score + NOT_MEMBER.
# Both were chosen on the tuning set (benchmarks/langid/tuning.py, tune_targets.py), not on the dev set, with
# the objective in benchmarks/langid/README.md ("How the constants are chosen").
MEMBER = -2.0
NOT_MEMBER = -2.0


def _word_score(word: str, tables: Tables, windows: List[str]) -> float:
    known = tables.lexicon.get(word)
    if known is not None and known > SURE_WORD:
        return known
    likelihood = ngram_log_likelihood(word, tables.ngrams, windows)
    guessed = likelihood + OUT_OF_LEXICON
    if tables.members and len(word) <= len(tables.member_norm):
        if word in tables.members:
            guessed = max(guessed, likelihood + tables.member_norm[len(word) - 1] + MEMBER)
        else:
            guessed += NOT_MEMBER
    return guessed if known is None or known < guessed else known


def word_scores(word: str, models: Sequence[LanguageModel]) -> List[float]:
    """log P(word | language) for each model, in order.

    A word typed with diacritics is scored as spelled; one without is scored against the folded tables,
    i.e. against every spelling that loses its diacritics that way ("tesekkurler" ~ "teşekkürler").
    """
    scores = [-1e9] * len(models)
    for spelling in spellings(word):
        folded = fold(spelling)
        use_folded = folded == spelling
        windows = letter_windows(spelling)
        for index, model in enumerate(models):
            tables = model.folded if use_folded else model.spelled
            score = _word_score(spelling, tables, windows)
            if score > scores[index]:
                scores[index] = score
    return scores
