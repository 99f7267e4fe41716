"""ISBNs (`shuxiang.lib.isbn`) and pinyin (`shuxiang.lib.pinyin`): pure, no database."""

from __future__ import annotations

import pytest

from shuxiang.lib.isbn import IsbnError, hyphenate, looks_like_isbn, normalise, to_isbn10
from shuxiang.lib.pinyin import pinyin_key, syllables

# 三体 (重庆出版社): ISBN-10 7-5366-9293-5 is the same book as ISBN-13 978-7-5366-9293-0.
SANTI_13 = "9787536692930"
SANTI_10 = "7536692935"
# 红楼梦 (人民文学出版社), an ISBN-10 ending in X.
HONGLOU_13 = "9787020002207"
HONGLOU_10 = "702000220X"


# ---------------------------------------------------------------- ISBN


@pytest.mark.parametrize(
    "raw",
    [
        "9787536692930",
        "978-7-5366-9293-0",
        " 978 7 5366 9293 0 ",
        "7536692935",
        "7-5366-9293-5",
        "９７８－７－５３６６－９２９３－０",  # typed with a full-width input method
    ],
)
def test_every_form_of_an_isbn_normalises_to_the_same_isbn_13(raw):
    assert normalise(raw) == SANTI_13


def test_isbn_10_ending_in_x_normalises_in_either_case():
    assert normalise("7-02-000220-X") == HONGLOU_13
    assert normalise("7-02-000220-x") == HONGLOU_13
    assert normalise("7-02-000220-ｘ") == HONGLOU_13


@pytest.mark.parametrize(
    "raw, words",
    [
        ("9787536692931", "校验位"),
        ("7-5366-9293-4", "校验位"),
        ("97875366929", "10 位或 13 位"),
        ("978753669293A", "格式不对"),
    ],
)
def test_a_bad_isbn_is_refused_saying_what_is_wrong(raw, words):
    with pytest.raises(IsbnError) as caught:
        normalise(raw)
    assert words in str(caught.value)
    assert raw in str(caught.value)  # the librarian sees which number is wrong


def test_hyphenate_uses_the_agency_ranges():
    assert hyphenate(SANTI_13) == "978-7-5366-9293-0"
    assert hyphenate(HONGLOU_13) == "978-7-02-000220-7"


def test_hyphenate_places_979_numbers_too():
    assert hyphenate("9791234567896") == "979-12-3456789-6"


def test_isbn_10_of_a_978_number_and_none_for_979():
    assert to_isbn10(SANTI_13) == SANTI_10
    assert to_isbn10(HONGLOU_13) == HONGLOU_10
    assert to_isbn10("9791234567896") is None


@pytest.mark.parametrize(
    "text",
    [
        "9787536692930",
        "978-7-5366-9293-0",
        "7-02-000220-X",
        "702000220x",
        "９７８７５３６６９２９３０",
    ],
)
def test_looks_like_isbn_accepts_isbn_shapes(text):
    assert looks_like_isbn(text)


@pytest.mark.parametrize("text", ["I242.4", "I242.4/1", "12345", "西游记", "97875366929301", "X"])
def test_looks_like_isbn_rejects_other_queries(text):
    assert not looks_like_isbn(text)


# ---------------------------------------------------------------- pinyin


@pytest.mark.parametrize(
    "text, expected",
    [
        ("重庆", ["chong", "qing"]),
        ("重要", ["zhong", "yao"]),
        ("银行", ["yin", "hang"]),
        ("行走", ["xing", "zou"]),
        ("长城", ["chang", "cheng"]),
        ("长大", ["zhang", "da"]),
        ("音乐会", ["yin", "yue", "hui"]),
        ("会计学", ["kuai", "ji", "xue"]),
    ],
)
def test_polyphones_are_read_by_the_phrase_they_stand_in(text, expected):
    assert syllables(text) == expected


def test_polyphone_phrases_are_found_inside_a_longer_title():
    assert syllables("我们的长城") == ["wo", "men", "de", "chang", "cheng"]
    assert syllables("银行里的数学") == ["yin", "hang", "li", "de", "shu", "xue"]


@pytest.mark.parametrize(
    "text, expected",
    [("绿", ["lv"]), ("女儿", ["nv", "er"]), ("略", ["lve"]), ("绿色", ["lv", "se"])],
)
def test_u_umlaut_is_written_v(text, expected):
    assert syllables(text) == expected


def test_latin_letters_digits_and_punctuation_are_skipped():
    assert syllables("西游记(注音版)") == ["xi", "you", "ji", "zhu", "yin", "ban"]
    assert syllables("（注音版）西游记") == ["zhu", "yin", "ban", "xi", "you", "ji"]
    assert syllables("3D恐龙") == ["kong", "long"]
    assert syllables("Steve Jobs") == []


def test_the_chinese_zero_is_read_ling():
    # 〇 is written in years in titles (二〇〇八年); it sits below the CJK blocks.
    assert syllables("二〇〇八年") == ["er", "ling", "ling", "ba", "nian"]


def test_pinyin_key_is_full_pinyin_then_initials():
    assert pinyin_key("张小明") == "zhangxiaoming zxm"
    assert pinyin_key("重庆") == "chongqing cq"
    assert pinyin_key("绿野仙踪") == "lvyexianzong lyxz"


def test_pinyin_key_of_text_without_chinese_is_empty():
    assert pinyin_key("") == ""
    assert pinyin_key("Tom 2024") == ""
