"""exports/fonts.py: missing fonts, the TW face of .ttc files, per-character fallback, lazy loading."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from desktop_app.exports import fonts
from desktop_app.exports.fonts import FONT_ENV, FontNotFoundError, find_cjk_font, font_chain
from desktop_app.exports.slips import write_slips
from desktop_app.exports.slips_model import SlipBatch, SlipCategory, SlipItem, SlipStudent

UMING = Path("/usr/share/fonts/truetype/arphic/uming.ttc")
UKAI = Path("/usr/share/fonts/truetype/arphic/ukai.ttc")
needs_arphic = pytest.mark.skipif(
    not (UMING.exists() and UKAI.exists()), reason="fonts-arphic-uming/ukai not installed (CI installs them)"
)


def test_no_font_raises_with_every_path_looked_for(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    not_a_font = tmp_path / "broken.ttf"
    not_a_font.write_bytes(b"this is not a TrueType font")
    candidates = [tmp_path / "kaiu.ttf", tmp_path / "uming.ttc"]
    monkeypatch.setattr(fonts, "candidate_fonts", lambda: candidates)
    monkeypatch.setenv(FONT_ENV, str(tmp_path / "env-font.ttf"))
    with pytest.raises(FontNotFoundError) as err:
        find_cjk_font(user_path=not_a_font)
    message = str(err.value)
    for path in (not_a_font, tmp_path / "env-font.ttf", *candidates):
        assert str(path) in message
    assert "空白方框" in message and FONT_ENV in message and "設定" in message


def test_slips_stop_when_no_font(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fonts, "candidate_fonts", lambda: [tmp_path / "none.ttf"])
    monkeypatch.delenv(FONT_ENV, raising=False)
    batch = SlipBatch(
        1, "示範高中", "第1梯次", "113學年度第1學期", date(2024, 10, 1), date(2024, 10, 3), None
    )
    with pytest.raises(FontNotFoundError):
        write_slips(tmp_path / "s.pdf", batch)
    assert not (tmp_path / "s.pdf").exists()


@needs_arphic
def test_ttc_uses_the_taiwanese_face() -> None:
    assert fonts._ttc_face_names(UMING)[2] == b"AR PL UMing TW"
    font = find_cjk_font(UMING)
    assert font.subfont_index == 2


@needs_arphic
def test_fallback_runs_for_a_character_the_primary_lacks() -> None:
    chain = font_chain(UKAI)  # the TW face of AR PL UKai has no 厯; AR PL UMing TW has it
    assert not chain.primary.has_char("厯")
    runs = chain.runs("王厯明")
    assert [text for _, text in runs] == ["王", "厯", "明"]
    assert runs[0][0] == runs[2][0] == chain.primary.name
    assert runs[1][0] != chain.primary.name
    assert chain.font_for("厯") is not None and chain.font_for("厯").has_char("厯")
    assert chain.missing("王厯\ue000𡈽") == ["\ue000", "𡈽"]


@needs_arphic
def test_lazy_chain_loads_fallbacks_only_when_needed() -> None:
    chain = font_chain(UKAI, lazy=True)
    assert chain.fallbacks == []
    assert chain.runs("王明") == [(chain.primary.name, "王明")]
    assert chain.fallbacks == []
    assert chain.font_for("厯") is not None
    assert chain.fallbacks


@needs_arphic
def test_slip_prints_a_rare_character_through_the_fallback(tmp_path: Path) -> None:
    student = SlipStudent(
        5,
        "301",
        3,
        "1130005",
        "林厯君",
        "A12345****",
        [SlipCategory("修課紀錄", [SlipItem("113", "1", "國語文", "4")])],
    )
    batch = SlipBatch(
        2, "示範高中", "第1梯次", "113學年度第1學期", date(2024, 10, 1), date(2024, 10, 3), None, [student]
    )
    report = write_slips(tmp_path / "s.pdf", batch, font_path=UKAI)
    assert report.fallback_chars == "厯"
    assert report.problems == ()
    page = PdfReader(str(report.path)).pages[0]
    assert "林厯君" in page.extract_text()
    base_fonts = {
        str(f.get_object()["/BaseFont"]).split("+")[1] for f in page["/Resources"]["/Font"].values()
    }
    assert any("UKai" in n for n in base_fonts) and any("UMing" in n for n in base_fonts)
