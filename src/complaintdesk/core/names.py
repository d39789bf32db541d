"""People's names as written and as searched, in Chinese and Western order.

A name written in Chinese characters reads family name first with no space ("王晓梅"), and a title
follows it in Chinese ("王晓梅女士"); a Western name reads given name first ("Mei Wang") with the
title before it in English ("Ms. Mei Wang"). Search finds either order, with or without a title.
"""

from __future__ import annotations

import re
import unicodedata

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
# titles a person may type around a name; only stripped when a name remains
_TITLE_SUFFIXES = ("女士", "先生", "小姐", "太太", "夫人")
_TITLE_PREFIXES = ("mr.", "mrs.", "ms.", "mr", "mrs", "ms", "miss", "dr.", "dr")


def is_cjk(text: str) -> bool:
    return bool(_CJK.search(text))


def full_name(first: str, last: str) -> str:
    """"王晓梅" for a Chinese name (family name first, no space); "Mei Wang" otherwise."""
    first, last = first.strip(), last.strip()
    if is_cjk(first + last):
        return f"{last}{first}"
    return " ".join(part for part in (first, last) if part)


def titled_name(name: str, title: str, language: str) -> str:
    """The name with its title as the reader's language puts it: after in Chinese ("王晓梅女士"),
    before in English ("Ms. Mei Wang"); ``title`` is already in that language."""
    if not title or not name:
        return name
    if language.lower().startswith("zh"):
        return f"{name}{title}"
    return f"{title} {name}"


def greeting_name(first: str, last: str, title: str, either: str, language: str) -> str:
    """The name a letter greets, as an organisation writes to a customer. A family name alone is never
    written bare ("尊敬的王："): it takes the title when it is known ("王女士", "Ms. Wang"), else
    ``either`` — "先生/女士" or "Mr/Ms" — ("王先生/女士", "Mr/Ms Wang"). A whole name with a known title
    is greeted as formal letters do: the whole name and the title in Chinese ("王建国先生"), the title
    and the family name in English ("Ms. Carter"); without a title the whole name is written
    ("王建国", "Emily Carter"). ``title`` and ``either`` are already in the reader's language; empty
    when there is no name."""
    first, last = first.strip(), last.strip()
    if last and not first:
        return titled_name(last, title or either, language)
    if first and last and title:
        chinese = language.lower().startswith("zh")
        return titled_name(full_name(first, last) if chinese else last, title, language)
    return full_name(first, last)


def split_name(name: str) -> tuple[str, str]:
    """(first, last) of a name typed whole: a Chinese name of two or three characters has a
    one-character family name first; a Western name its family name last; a single word (a
    job title such as "Administrator") is all given name."""
    name = name.strip()
    if is_cjk(name) and 2 <= len(name) <= 3:
        return name[1:], name[:1]
    if " " in name:
        first, last = name.rsplit(" ", 1)
        return first, last
    return name, ""


def strip_title(query: str) -> str:
    """The query without a title before or after it ("王晓梅女士" → "王晓梅", "Ms Wang" → "Wang")."""
    text = unicodedata.normalize("NFKC", query).strip()
    for suffix in _TITLE_SUFFIXES:
        if text.endswith(suffix) and len(text) > len(suffix):
            text = text[: -len(suffix)].strip()
            break
    lowered = text.casefold()
    for prefix in _TITLE_PREFIXES:
        if lowered.startswith(prefix + " ") and len(text) > len(prefix) + 1:
            text = text[len(prefix) + 1 :].strip()
            break
    return text


def name_variants(query: str) -> list[str]:
    """What a name query may be stored as, given names are kept as "given family": the query
    itself without its title, and its other order — "Wang Mei" also as "Mei Wang"; "王晓梅" also as
    "晓梅 王" (a one-character family name) and "梅 王晓" (a two-character one)."""
    text = strip_title(query)
    out = [text]
    words = text.split()
    if len(words) == 2:
        out.append(f"{words[1]} {words[0]}")
    elif len(words) == 1 and is_cjk(text) and 2 <= len(text) <= 4 and not any(c.isspace() for c in text):
        out.extend(f"{text[i:]} {text[:i]}" for i in (1, 2) if i < len(text))
    return list(dict.fromkeys(v for v in out if v))
