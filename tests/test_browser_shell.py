"""The UI shell in a real browser: sign in, Chinese glyphs, the language switch."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import sign_in_browser

pytestmark = pytest.mark.browser

# Draw characters in the page's own heading font and compare the pixels: real
# glyphs differ from each other, missing-font boxes (tofu) all look the same.
GLYPHS = """() => {
  const style = getComputedStyle(document.querySelector('h1'));
  const canvas = document.createElement('canvas');
  canvas.width = 64; canvas.height = 64;
  const ctx = canvas.getContext('2d', {willReadFrequently: true});
  ctx.font = `48px ${style.fontFamily}`;
  ctx.textBaseline = 'top';
  const draw = ch => {
    ctx.clearRect(0, 0, 64, 64);
    ctx.fillText(ch, 4, 4);
    return Array.from(ctx.getImageData(0, 0, 64, 64).data.filter((_, i) => i % 4 === 3))
      .join(',');
  };
  return [...'图书馆工作台借阅'].map(draw).concat([draw('\\u{10FFFD}')]);
}"""


def test_librarian_signs_in_and_sees_real_chinese_glyphs(page, live_server, people, tmp_path):
    sign_in_browser(page, live_server, "librarian")
    assert page.locator("h1").inner_text() == "图书馆工作台"
    assert page.locator("header .school").inner_text() == "北街小学"
    *han, tofu = page.evaluate(GLYPHS)
    assert len(set(han)) == len(han), "Han characters render as identical boxes"
    assert tofu not in han
    shot = Path(tmp_path) / "home.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000


def test_language_switch_turns_the_page_english_and_back(page, live_server, people):
    sign_in_browser(page, live_server, "librarian")
    with page.expect_navigation():
        page.select_option("select[name=language]", "en")
    assert page.locator("h1").inner_text() == "Library dashboard"
    with page.expect_navigation():
        page.select_option("select[name=language]", "zh-hans")
    assert page.locator("h1").inner_text() == "图书馆工作台"


def test_wrong_password_shows_a_chinese_message(page, live_server, people):
    sign_in_browser(page, live_server, "librarian", "wrong-password")
    assert "请输入一个正确的" in page.locator(".errorlist").inner_text()


def test_class_teacher_lands_on_their_class(page, live_server, people):
    sign_in_browser(page, live_server, "classteacher")
    assert page.locator("h1").first.inner_text() == "三年级(2)班"
    assert "张小明" in page.content()
    assert "刘小红" not in page.content()
