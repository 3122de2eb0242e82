"""A record's canonical form is RFC 8785's, whichever way it is made (tracker.ledger.canonical)."""

import pytest
import rfc8785
from hypothesis import given, settings
from hypothesis import strategies as st

from tracker.ledger.canonical import canonical, is_canonical

scalars = st.none() | st.booleans() | st.integers(-(2**53) + 1, 2**53 - 1) | st.text()
plain = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(st.characters(max_codepoint=127)), inner, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=400, deadline=None)
@given(st.dictionaries(st.text(st.characters(max_codepoint=127)), plain, max_size=6))
def test_plain_records_make_rfc_8785_s_bytes(record):
    assert canonical(record) == rfc8785.dumps(record)


def test_control_characters_quotes_and_non_latin_text_are_written_as_rfc_8785_writes_them():
    record = {"remarks": 'Бригада "Північ"\n\t\x00\x1f\u2028\\ 𝔘', "b": [None, True, 0, -7]}
    assert canonical(record) == rfc8785.dumps(record)
    assert is_canonical(canonical(record))


def test_records_beyond_the_plain_ones_are_still_canonical():
    record = {"ratio": 0.1, "ключ": 1}
    assert canonical(record) == rfc8785.dumps(record) == b'{"ratio":0.1,"\xd0\xba\xd0\xbb\xd1\x8e\xd1\x87":1}'


def test_an_integer_a_double_cannot_hold_exactly_is_refused():
    with pytest.raises(rfc8785.IntegerDomainError):
        canonical({"quantity": 2**53})
