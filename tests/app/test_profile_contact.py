"""The slips' contact line is set with the school profile (設定 → 學校資料) and stored with it."""

from __future__ import annotations

from desktop_app.services.profile import Profile, get_profile, save_profile
from desktop_app.services.receipts.batches import list_batches
from desktop_app.services.receipts.slips import slip_batch
from desktop_app.ui.common.profile_form import ProfileForm


def test_contact_fields_save_with_the_profile_and_reach_the_slips(qtbot, db) -> None:  # type: ignore[no-untyped-def]
    save_profile(db, Profile("011302", "測試高中", "林志明"))
    form = ProfileForm(lambda: db, "學期日期")
    qtbot.addWidget(form)
    form.load()
    assert form.contact_office.text() == "" and form.contact_phone.text() == ""
    form.contact_office.setText("  教務處註冊組 ")
    form.contact_phone.setText("(02)2345-6789   分機 123")
    form.save()
    stored = get_profile(db)
    assert stored is not None
    assert (stored.contact_office, stored.contact_phone) == ("教務處註冊組", "(02)2345-6789 分機 123")
    assert stored.contact_line == "有疑問請洽：教務處註冊組（電話 (02)2345-6789 分機 123）"
    again = ProfileForm(lambda: db, "學期日期")
    qtbot.addWidget(again)
    again.load()
    assert again.contact_office.text() == "教務處註冊組"


def test_contact_line_variants() -> None:
    assert Profile("011302", "x", "y").contact_line == ""
    assert Profile("011302", "x", "y", contact_office="學務處").contact_line == "有疑問請洽：學務處"
    assert Profile("011302", "x", "y", contact_phone="分機 12").contact_line == "有疑問請洽：電話 分機 12"


def test_demo_slip_batch_carries_the_profile_contact(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from desktop_app.demo import build_demo_database

    demo = build_demo_database(tmp_path / "demo")
    batch = slip_batch(demo, list_batches(demo)[-1].id)
    assert batch.contact_line.startswith("有疑問請洽：教務處註冊組")
