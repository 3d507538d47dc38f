"""Accessibility of separ's pages in headless Chromium: axe-core's WCAG 2.1 A and AA rules,
choices a screen reader reads as chosen, text at 200 %, touch targets and visible focus.

axe-core runs on these states (phones at 360×740, the projector at 1920×1080, the
facilitator's dashboard at 1366×768):

- phone: the join form, the receipt check (``/verify``), and with the phone joined:
  waiting, check-in, PEST/SWOT notes (context), assets, a dots poll, an anonymous
  importance poll, an approval poll, a ranked (Borda) poll, a poll whose results are
  revealed (the ranking), the roadmap, the Delphi form (the phone is on the panel);
- projector: each of those live states (an open poll once: the projector shows every
  method's alike), the revealed poll among them (the ranking table
  with its bars; the only image on the projector is the join QR code, with its alt text);
- facilitator: the dashboard (Voila, ``workbooks/00_live.ipynb``, what the facilitator
  link of ``separ serve`` opens), which must also say it is Korean (``<html lang="ko">``).

On the same walk every phone state is measured for touch and keyboard: 44 px targets a tap
reaches, a visible focus on everything Tab stops at (one walk: each state costs a reload of
the phone and the projector).

axe-core comes from the npm registry: ``$SEPAR_AXE`` names an ``axe.min.js``, else the
test fetches the pinned release's tarball over HTTPS into ``~/.cache/separ/axe`` once (no
npm needed). Without both (no network) the axe test is skipped and says why.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from separ import delphi, polls
from separ.actors import Actor
from separ.model import Participant
from separ.store import Store
from separ.tokens import actor_for, join, set_live
from tests.e2e.conftest import Served, shot

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

PHONE = {"width": 360, "height": 740}
ZOOMED = {"width": 180, "height": 370}
"""A 360×740 phone with its text at 200 %: see :func:`test_text_at_200_percent`."""
WIDE = {"width": 1920, "height": 1080}
LAPTOP = {"width": 1366, "height": 768}
FAC = Actor.facilitator_actor()
CACHE = Path.home() / ".cache" / "separ" / "axe"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
TARGET = 44
"""CSS px: the least width and height of anything a thumb taps (WCAG 2.5.5)."""
CONTROLS = "button, input:not([type=hidden]), select, textarea, a[href]"


AXE = "axe-core@4.14.1"
"""The axe-core release the suite checks with (pinned: a new rule must not fail a build
that changed nothing)."""


def axe_script() -> Path:
    """``axe.min.js``: ``$SEPAR_AXE``, else fetched once over HTTPS from the npm registry's
    tarball (checked against its sha512) into ``~/.cache/separ/axe`` -- the route
    ``separ serve`` takes for the page bundles, so no npm is needed (a NodeSource machine
    has one, a plain Debian one may not)."""
    configured = os.environ.get("SEPAR_AXE")
    if configured:
        return Path(configured)
    from separ.live.assets import FetchError, fetch

    found = CACHE / AXE / "axe.min.js"
    if not found.is_file():
        try:
            fetch(AXE, CACHE)
        except (FetchError, OSError) as exc:
            pytest.skip(f"could not fetch {AXE} from the npm registry (set SEPAR_AXE): {exc}")
    return found


def violations(page: Any, script: Path) -> list[str]:
    page.add_script_tag(path=str(script))
    found = page.evaluate(
        """async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}}))
            .violations.map(v => `${v.id} ×${v.nodes.length}: ${v.nodes.slice(0, 3)
            .map(n => n.target.join(' ')).join(' | ')}`)""",
        TAGS,
    )
    return list(found)


def _live(
    served: Served, activity: str | None, session: str | None = None, target: str | None = None
) -> None:
    with Store.open(served.folder) as store:
        set_live(store, FAC, activity, session, target)


def _prepare(served: Served) -> dict[str, str]:
    """Polls of four kinds (named dots, anonymous importance, approval, Borda), one more
    approval poll with three ballots whose results a state reveals, and a Delphi study."""
    with Store.open(served.folder) as store:
        made = {
            "dots": polls.create_poll(
                store,
                FAC,
                "우선순위 스티커",
                "dots",
                dots=3,
                options=["공동 판로", "교육 공간", "지원센터"],
            ),
            "importance": polls.create_poll(
                store,
                FAC,
                "세부 과제 중요 정도",
                "importance",
                anonymous=True,
                options=["판로 개척", "인력 양성"],
            ),
            "approval": polls.create_poll(
                store, FAC, "찬성하는 과제", "approval", options=["공동 판로", "교육 공간"]
            ),
            "ranked": polls.create_poll(
                store, FAC, "과제 순위", "borda", options=["공동 판로", "교육 공간", "지원센터"]
            ),
            "results": polls.create_poll(
                store, FAC, "먼저 할 과제", "approval", options=["공동 판로", "교육 공간"]
            ),
        }
        for poll in made.values():
            polls.open_poll(store, FAC, poll.id)
        options = {o.label: o.id for o in store.list(polls.PollOption, poll_id=made["results"].id)}
        for n, picks in enumerate([["공동 판로"], ["공동 판로", "교육 공간"], ["교육 공간"]]):
            voter = actor_for(store, join(store, f"투표자{n}"))
            assert voter is not None
            polls.submit_ballot(store, voter, made["results"].id, {options[p]: 1 for p in picks})
        study = delphi.create_study(store, FAC, "성과지표 델파이")
        delphi.add_item(store, FAC, study.id, "SV1", "사회적경제 기업 수")
        person = store.list(Participant)[0]
        delphi.add_panellist(store, FAC, study.id, person.name, participant_id=person.id)
        delphi.set_round(store, FAC, study.id, 1, True)
    return {key: poll.id for key, poll in made.items()} | {"delphi": study.id}


@pytest.fixture(scope="module")
def targets(served: Served) -> dict[str, str]:
    return _prepare(served)


def _joined(browser: Any, served: Served, name: str, viewport: dict[str, int] = PHONE) -> Any:
    """A phone that joined through the join form as ``name`` and sits on the Delphi panel
    (so the Delphi state shows the form, not "only panellists answer")."""
    phone = browser.new_context(viewport=viewport).new_page()
    phone.goto(served.participant)
    phone.get_by_label("이름").fill(name)
    phone.get_by_label("이름").press("Enter")
    phone.get_by_text(f"{name} 님").wait_for(timeout=30_000)
    with Store.open(served.folder) as store:
        (person,) = store.list(Participant, name=name)
        for study in delphi.studies(store):
            delphi.add_panellist(store, FAC, study.id, None, participant_id=person.id)
    return phone


STATES: list[tuple[str, str | None, str | None, str]] = [
    # (name, activity, target key, text the phone shows when ready)
    ("waiting", None, None, "진행자가 활동을 시작하면"),
    ("checkin", "checkin", None, "왔어요"),
    ("context", "context", None, "보내기"),
    ("assets", "assets", None, "자산"),
    ("voting-dots", "voting", "dots", "투표하기"),
    ("voting-importance", "voting", "importance", "투표하기"),
    ("voting-approval", "voting", "approval", "투표하기"),
    ("voting-ranked", "voting", "ranked", "순위 지우기"),
    ("voting-results", "voting", "results", "1위"),
    ("roadmap", "roadmap", None, "의견 보내기"),
    ("delphi", "delphi", "delphi", "부적합"),
]
PROJECTED_ALIKE = {"voting-importance", "voting-approval", "voting-ranked"}
"""States the projector shows as it shows voting-dots: an open poll is its question, options
and count whatever its method (``separ.ui.projector.poll_html``), so axe sees it once."""
REVEALED = "voting-results"
"""Put live while open (a closed poll cannot be), then closed and revealed."""


def _show(served: Served, page: Any, state: str, targets: dict[str, str]) -> None:
    """Put ``state`` live and reload ``page`` until it shows it."""
    _, activity, key, ready = next(s for s in STATES if s[0] == state)
    _live(served, activity, "s1" if activity == "checkin" else None, targets[key] if key else None)
    if state == REVEALED:
        with Store.open(served.folder) as store:
            polls.close_poll(store, FAC, targets[key or ""])
            polls.reveal_results(store, FAC, targets[key or ""])
    page.reload()
    page.get_by_text(ready).first.wait_for(timeout=30_000)
    page.wait_for_timeout(500)  # the rest of the view's widgets, and the ARIA script


def test_axe_and_touch_find_nothing_on_phone_projector_and_dashboard(
    served: Served, browser: Any, targets: dict[str, str]
) -> None:
    script = axe_script()
    found: dict[str, list[str]] = {}

    phone = browser.new_context(viewport=PHONE).new_page()
    phone.goto(served.participant)
    phone.get_by_label("이름").wait_for(timeout=30_000)
    found["phone join form"] = violations(phone, script)
    touch: dict[str, list[str]] = {"join": _touch_and_focus(phone, "join")}
    phone.goto(served.participant + "verify")
    found["phone verify page"] = violations(phone, script)
    phone.close()
    phone = _joined(browser, served, "접근성")

    projector = browser.new_context(viewport=WIDE).new_page()
    projector.goto(served.projector)
    projector.get_by_role("heading").first.wait_for(timeout=30_000)

    for name, *_ in STATES:
        _show(served, phone, name, targets)
        if name not in PROJECTED_ALIKE:
            projector.reload()
            projector.get_by_role("heading").first.wait_for(timeout=30_000)
            if name == REVEALED:
                projector.get_by_text("1위").first.wait_for(timeout=30_000)
                # the ranking, and the one image (the join QR) says what it is
                assert projector.locator("table.separ-ranking tr").count() == 3
                assert projector.get_by_role("img", name="참여 QR 코드").count() == 1
            projector.wait_for_timeout(1500)
            found[f"projector {name}"] = violations(projector, script)
        found[f"phone {name}"] = violations(phone, script)
        touch[name] = _touch_and_focus(phone, name)
        shot(phone, f"a11y-phone-{name}-360")
        if name == "voting-importance":  # "중상" whole at 360 px, not "중…"
            cut = phone.evaluate("""() => [...document.querySelectorAll('button')]
                .filter(b => b.textContent.trim() === '중상')
                .filter(b => b.scrollWidth > b.clientWidth).length""")
            assert phone.get_by_role("radio", name="중상").count() >= 2 and cut == 0
    _live(served, None)

    dash = browser.new_context(viewport=LAPTOP).new_page()
    dash.goto(served.facilitator)
    dash.get_by_role("button", name="참여자 화면에 띄우기").wait_for(timeout=120_000)
    dash.wait_for_timeout(1500)
    assert dash.evaluate("document.documentElement.lang") == "ko"
    found["facilitator dashboard"] = violations(dash, script)
    shot(dash, "a11y-dashboard-1366")

    listing = "\n".join(f"{page}: {v}" for page, vs in found.items() for v in vs)
    print(listing or "axe-core: no violations on", ", ".join(found))
    listing += "\n".join(f"phone {state}: {p}" for state, ps in touch.items() for p in ps)
    assert not listing, listing


def test_choices_say_which_is_chosen(served: Served, browser: Any, targets: dict[str, str]) -> None:
    """What a screen reader is told, read back through the accessibility tree: a
    one-of-several choice is a radio in a named radio group with its checked state, a
    choice of several a toggle button with its pressed state; arrow keys move and choose
    within a group. ipywidgets alone says none of this (only a CSS class changes)."""
    phone = _joined(browser, served, "선택")

    _show(served, phone, "voting-importance", targets)
    rated = phone.get_by_role("radiogroup", name="판로 개척")
    other = phone.get_by_role("radiogroup", name="인력 양성")
    assert rated.get_by_role("radio").all_inner_texts() == ["상", "중상", "중", "하"]
    assert rated.get_by_role("radio", checked=True).count() == 0
    rated.get_by_role("radio", name="중상").click()
    expect(rated.get_by_role("radio", name="중상")).to_be_checked()
    rated.get_by_role("radio", name="중상").press("ArrowRight")
    middle = rated.get_by_role("radio", name="중", exact=True)
    expect(middle).to_be_checked()
    expect(middle).to_be_focused()
    assert rated.get_by_role("radio", checked=True).count() == 1
    assert other.get_by_role("radio", checked=True).count() == 0
    snapshot = rated.aria_snapshot()
    print(snapshot)
    assert '- radio "중" [checked]' in snapshot and '- radio "중상"' in snapshot

    _show(served, phone, "voting-approval", targets)
    first = phone.locator("button.widget-toggle-button", has_text="공동 판로")
    expect(first).to_have_attribute("aria-pressed", "false")
    first.click()
    expect(phone.get_by_role("button", name="✓ 공동 판로", pressed=True)).to_be_visible()
    assert phone.get_by_role("button", name="교육 공간", pressed=False).count() == 1

    _show(served, phone, "voting-ranked", targets)  # a rank is set by the server
    second = phone.locator("button.separ-choice", has_text="교육 공간")
    expect(second).to_have_attribute("aria-pressed", "false")
    second.click()
    expect(phone.get_by_role("button", name="1. 교육 공간", pressed=True)).to_be_visible()

    _show(served, phone, "delphi", targets)
    suitable = phone.get_by_role("radio", name="적합", exact=True)
    suitable.click()
    expect(suitable).to_be_checked()
    expect(phone.get_by_role("radio", name="부적합")).not_to_be_checked()
    phone.get_by_role("radio", name="4", exact=True).click()
    expect(phone.get_by_role("radio", name="4", exact=True)).to_be_checked()
    phone.get_by_role("radio", name="4", exact=True).press("ArrowLeft")
    expect(phone.get_by_role("radio", name="3", exact=True)).to_be_checked()
    expect(phone.get_by_role("radio", name="4", exact=True)).not_to_be_checked()

    _show(served, phone, "context", targets)
    for category in ("강점", "약점"):
        phone.get_by_role("radio", name=category).click()
        expect(phone.get_by_role("radio", name=category)).to_be_checked()
    expect(phone.get_by_role("radio", name="강점")).not_to_be_checked()
    _live(served, None)


LAYOUT = """() => {
  const vw = document.documentElement.clientWidth;
  const say = el => `${el.tagName.toLowerCase()} "${(el.innerText || el.value || el.placeholder
    || '').trim().slice(0, 24)}"`;
  const shown = el => { const r = el.getBoundingClientRect(), s = getComputedStyle(el);
    return r.width > 1 && r.height > 1 && s.visibility !== 'hidden'; };
  const found = [];
  const wide = Math.max(document.documentElement.scrollWidth, document.body.scrollWidth);
  if (wide > vw + 1) found.push(`the page is ${wide} px wide in ${vw} px`);
  for (const el of document.querySelectorAll('body *')) {
    if (!shown(el)) continue;
    const text = [...el.childNodes].filter(n => n.nodeType === 3)
      .map(n => n.textContent.trim()).join('');
    const control = el.matches('button, input, select, textarea, a[href], label');
    if (!text && !control) continue;
    const r = el.getBoundingClientRect(), s = getComputedStyle(el);
    if (r.left < -1 || r.right > vw + 1)
      found.push(`${say(el)} runs off the screen (${Math.round(r.left)} to ${Math.round(r.right)})`);
    if (el.matches('input, select, textarea')) continue;  // a field scrolls what is typed
    if (s.overflowX !== 'visible' && el.scrollWidth > el.clientWidth + 1)
      found.push(`${say(el)} is cut: ${el.scrollWidth} px of text in ${el.clientWidth} px`);
    if (s.overflowY !== 'visible' && el.scrollHeight > el.clientHeight + 1)
      found.push(`${say(el)} is cut: ${el.scrollHeight} px of text in ${el.clientHeight} px high`);
    if (text.length > 2 && r.width < 2 * parseFloat(s.fontSize))
      found.push(`${say(el)} is squeezed into ${Math.round(r.width)} px (a letter a line)`);
  }
  return found;
}"""
"""What is wrong with the page's layout for a reader: the page wider than the screen, text
or a control off the screen (the phone pages hide sideways overflow, so it would be lost,
not scrollable), text cut by its box, text squeezed to a letter a line."""

TAPPABLE = """([least, what]) => {
  const say = el => `${el.tagName.toLowerCase()} "${(el.innerText || el.value || el.placeholder
    || '').trim().slice(0, 24)}"`;
  const found = [];
  const controls = [...document.querySelectorAll(what)]
    .filter(el => { const r = el.getBoundingClientRect(); return r.width > 1 && r.height > 1; });
  for (const el of controls) {
    el.scrollIntoView({block: 'center', inline: 'center'});
    // a checkbox is tapped through its label
    const target = el.matches('input[type=checkbox]') && el.closest('label') || el;
    const box = target.getBoundingClientRect();
    if (box.width < least || box.height < least)
      found.push(`${say(el)} is ${Math.round(box.width)}×${Math.round(box.height)} px`);
    if (box.left < 0 || box.right > innerWidth || box.top < 0 || box.bottom > innerHeight)
      found.push(`${say(el)} cannot be brought into view`);
    const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
    if (!hit || !(hit === target || target.contains(hit) || hit.contains(target)))
      found.push(`${say(el)} is covered by ${hit ? say(hit) : 'nothing'}`);
  }
  window.scrollTo(0, 0);
  return {found, count: controls.length};
}"""
"""Every control at least ``least`` CSS px both ways, brought into view by scrolling, and
the one a tap at its centre reaches. Returns the problems and how many controls there are."""

FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  const s = getComputedStyle(el);
  return {what: `${el.tagName.toLowerCase()} "${(el.innerText || el.value || el.placeholder
    || '').trim().slice(0, 24)}"`, id: el.dataset.separFocus || (el.dataset.separFocus =
    String(Math.random())), outline: s.outlineStyle, width: parseFloat(s.outlineWidth)};
}"""


def _focus_problems(page: Any) -> tuple[list[str], int]:
    """Tab through the page as a keyboard user does: every element that takes the focus
    must show it (an outline of at least 2 px). Returns the problems and how many stops."""
    page.evaluate("document.activeElement && document.activeElement.blur()")
    seen: set[str] = set()
    found: list[str] = []
    for _ in range(80):
        page.keyboard.press("Tab")
        now = page.evaluate(FOCUSED)
        if now is None:
            continue
        if now["id"] in seen:
            break
        seen.add(now["id"])
        if now["outline"] == "none" or now["width"] < 2:
            found.append(f"{now['what']} shows no focus ({now['outline']} {now['width']} px)")
    return found, len(seen)


def _controls(page: Any) -> int:
    """How many enabled controls the page shows (each should take the focus)."""
    return int(
        page.evaluate(
            """(what) => [...document.querySelectorAll(what)]
            .filter(el => el.getBoundingClientRect().width > 1 && !el.disabled).length""",
            CONTROLS,
        )
    )


@pytest.fixture
def zoomed(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport=ZOOMED, device_scale_factor=4)
    yield context.new_page()
    context.close()


def test_text_at_200_percent(
    served: Served, browser: Any, zoomed: Any, targets: dict[str, str]
) -> None:
    """The join, check-in and vote pages with their text at 200 %: nothing runs off the
    screen or is cut by its box, no text is squeezed to a letter a line, and every button
    can be scrolled to, is still at least 44 px and is reached by a tap at its centre.

    How the text is made 200 %: as a phone does it. Chrome on Android's page zoom and
    Safari's text size on the iPhone zoom the page, so a 360 px wide phone lays the page
    out 180 CSS px wide with every CSS px twice as big; here that is a 180×370 viewport
    at device scale factor 4 (the pixels of the 360 px phone, doubled), which is exactly
    what the zoomed phone computes. Not ``font-size: 200%`` on the root element: separ's
    widget pages size their text in px (ipywidgets does), so that would leave them as
    they are and the test would pass without enlarging anything. Not CDP's
    ``Emulation.setPageScaleFactor``: that is pinch zoom, which magnifies without laying
    the page out again, so nothing could ever be cut off by it.
    """
    page = zoomed
    problems: dict[str, list[str]] = {}
    page.goto(served.participant)
    page.get_by_label("이름").wait_for(timeout=30_000)
    assert page.evaluate("innerWidth") == ZOOMED["width"]
    problems["join"] = page.evaluate(LAYOUT) + page.evaluate(TAPPABLE, [TARGET, CONTROLS])["found"]
    shot(page, "a11y-zoom200-join")
    page.get_by_label("이름").fill("크게")
    page.get_by_label("이름").press("Enter")
    page.get_by_text("크게 님").wait_for(timeout=30_000)
    for state in ("checkin", "voting-importance", "voting-dots", "voting-approval"):
        _show(served, page, state, targets)
        problems[state] = page.evaluate(LAYOUT)
        tapped = page.evaluate(TAPPABLE, [TARGET, CONTROLS])
        assert tapped["count"] >= 2, state  # the page's own buttons were measured
        problems[state] += tapped["found"]
        shot(page, f"a11y-zoom200-{state}")
    _live(served, None)
    listing = "\n".join(f"{state}: {p}" for state, ps in problems.items() for p in ps)
    assert not listing, listing


def _touch_and_focus(page: Any, state: str) -> list[str]:
    """What a thumb or a keyboard finds wrong on a phone page at 360 px: each button and
    field at least 44×44 CSS px (a checkbox with its label) and reachable by a tap; going
    through the page with Tab, every element that takes the focus shows it, and every
    enabled control is among them. (Run on every phone state of the axe test.)"""
    tapped = page.evaluate(TAPPABLE, [TARGET, CONTROLS])
    unfocused, stops = _focus_problems(page)
    problems = tapped["found"] + unfocused
    enabled = _controls(page)
    print(f"{state}: {tapped['count']} controls, {enabled} enabled, {stops} focus stops")
    if stops < enabled:
        problems.append(f"only {stops} of {enabled} controls take the focus")
    return list(problems)
