"""Person keys are injective: two different names never share an IRI (issue 14: every name in a
non-Latin script was `person/unnamed`)."""

from __future__ import annotations

import re
import unicodedata

from hypothesis import example, given
from hypothesis import strategies as st

from unkg.model import person_key

_PLAIN = re.compile(r"[A-Za-z]+(?:[ -][A-Za-z]+)*")


def _same_name(name: str) -> str:
    """What person_key documents as the same name: NFC, runs of white space, case, and for a
    plain Latin name a hyphen for a space."""
    canonical = " ".join(unicodedata.normalize("NFC", name).split())
    if _PLAIN.fullmatch(canonical):
        return canonical.lower().replace("-", " ")
    return "\x00" + canonical.casefold()


names = st.text(min_size=1, max_size=30)
latin = st.from_regex(_PLAIN, fullmatch=True)


@given(st.one_of(names, latin), st.one_of(names, latin))
@example("José Ramos-Horta", "Jose Ramos-Horta")
@example("Сергей Лавров", "Василий Небензя")
@example("O'Brien", "O Brien")
def test_different_names_get_different_keys(a: str, b: str) -> None:
    if _same_name(a) != _same_name(b):
        assert person_key(a) != person_key(b)


def test_names_in_other_scripts_are_transliterated_not_unnamed() -> None:
    keys = {person_key(n) for n in ["Сергей Лавров", "Василий Небензя", "王毅", "محمد"]}
    assert len(keys) == 4
    assert all("unnamed" not in k for k in keys)
    assert person_key("Сергей Лавров").startswith("person/sergey-lavrov--")
    assert person_key("Vitaly Churkin") == "person/vitaly-churkin"
