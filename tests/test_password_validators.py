"""Weak passwords are refused wherever a password is set, with the reason."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from tests import factories as f
from tracker.roles import Role


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("password", "too common"),
        ("48213957260173", "entirely numeric"),
        ("Tz7!qLm#p2", "too short"),  # ten characters: twelve at least
        ("officer-kharkiv-2026", "too similar to the username"),
    ],
)
def test_a_weak_password_is_refused_with_its_reason(password, reason):
    officer = f.person("officer-kharkiv-2026", Role.OFFICER)
    with pytest.raises(ValidationError) as refused:
        validate_password(password, officer)
    assert any(reason in message for message in refused.value.messages)


def test_a_long_uncommon_password_is_accepted():
    validate_password("cobalt tundra lantern 84", f.person("officer", Role.OFFICER))


def test_the_admin_refuses_a_weak_new_password(client):
    chief = f.person("chief", "superuser")
    f.sign_in(client, chief)
    officer = f.person("officer", Role.OFFICER)
    response = client.post(
        f"/admin/auth/user/{officer.pk}/password/", {"password1": "12345678", "password2": "12345678"}
    )
    assert response.status_code == 200
    assert "This password is entirely numeric." in response.content.decode()
    officer.refresh_from_db()
    assert officer.check_password("x")
