"""People's names: Chinese family name first with the title after, Western order otherwise; the
name typed whole split right (no more "dministrator A"); a name query in either order, with or
without a title."""

from __future__ import annotations

import pytest

from complaintdesk.core.names import full_name, greeting_name, name_variants, split_name, strip_title, titled_name


@pytest.mark.parametrize(("first", "last", "name"), [
    ("晓梅", "王", "王晓梅"), ("芳", "刘", "刘芳"), ("Mei", "Wang", "Mei Wang"), ("Administrator", "", "Administrator"),
    ("", "", ""), ("系统管理员", "", "系统管理员"),
])
def test_full_name(first: str, last: str, name: str) -> None:
    assert full_name(first, last) == name


def test_the_title_follows_a_name_in_chinese_and_precedes_it_in_english() -> None:
    assert titled_name("王晓梅", "女士", "zh-hans") == "王晓梅女士"
    assert titled_name("Mei Wang", "Ms.", "en") == "Ms. Mei Wang"
    assert titled_name("王晓梅", "", "zh-hans") == "王晓梅"


@pytest.mark.parametrize(("first", "last", "title", "language", "greeted"), [
    ("", "王", "", "zh-hans", "王先生/女士"),  # a family name alone is never written bare
    ("", "Wang", "", "en", "Mr/Ms Wang"),
    ("", "王", "女士", "zh-hans", "王女士"),
    ("", "Wang", "Ms.", "en", "Ms. Wang"),
    ("晓梅", "王", "女士", "zh-hans", "王晓梅女士"),  # a whole name with its title, as formal letters write
    ("Emily", "Carter", "Ms.", "en", "Ms. Carter"),
    ("晓梅", "王", "", "zh-hans", "王晓梅"),  # no title: the whole name
    ("Mei", "Wang", "", "en", "Mei Wang"),
    ("Administrator", "", "Mr.", "en", "Administrator"),  # a given name alone: written as it is
    ("", "", "", "zh-hans", ""),
])
def test_a_letter_greets_a_family_name_alone_with_both_titles(first: str, last: str, title: str, language: str,
                                                              greeted: str) -> None:
    either = "先生/女士" if language.startswith("zh") else "Mr/Ms"
    assert greeting_name(first, last, title, either, language) == greeted


@pytest.mark.parametrize(("name", "parts"), [
    ("王晓梅", ("晓梅", "王")), ("李娜", ("娜", "李")), ("Lina Li", ("Lina", "Li")),
    ("Administrator", ("Administrator", "")),
    ("系统管理员", ("系统管理员", "")),
])
def test_a_name_typed_whole_is_split_where_a_person_would(name: str, parts: tuple[str, str]) -> None:
    assert split_name(name) == parts
    assert full_name(*parts) == name


@pytest.mark.parametrize(("query", "bare"), [
    ("王晓梅女士", "王晓梅"), ("Ms Wang", "Wang"), ("Mr. Mei Wang", "Mei Wang"), ("女士", "女士"), ("ms", "ms"),
    ("退款", "退款"),
])
def test_titles_are_stripped_only_around_a_name(query: str, bare: str) -> None:
    assert strip_title(query) == bare


def test_name_variants_cover_either_order() -> None:
    assert name_variants("王晓梅") == ["王晓梅", "晓梅 王", "梅 王晓"]
    assert name_variants("王晓梅女士") == ["王晓梅", "晓梅 王", "梅 王晓"]
    assert name_variants("Wang Mei") == ["Wang Mei", "Mei Wang"]
    assert name_variants("晓梅") == ["晓梅", "梅 晓"]
