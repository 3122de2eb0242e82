"""Issuing, checking and revoking API tokens (django-rest-knox, with a scope per token)."""

import binascii
import datetime
import functools
from hmac import compare_digest

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password
from django.contrib.auth.models import AbstractBaseUser
from django.db import connection
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext_lazy
from knox import auth
from knox.crypto import hash_token
from knox.settings import CONSTANTS, knox_settings
from rest_framework import exceptions
from rest_framework.permissions import SAFE_METHODS
from rest_framework.request import Request

from accounts import second_factor
from accounts.models import ApiToken, Scope


def issue(
    user: AbstractBaseUser, scope: Scope = Scope.READ_WRITE, ttl: datetime.timedelta | None = None
) -> tuple[ApiToken, str]:
    """A new token and its secret; only the digest is stored, so this is the one time the secret can be read.

    A user in no writing role gets a read-only token whatever was asked: given a writing role later, they
    write only with a token issued after their second factor.
    """
    ApiToken.objects.filter(user=user, expiry__lt=timezone.now()).delete()
    if not second_factor.required(user):
        scope = Scope.READ
    return ApiToken.objects.create(user=user, expiry=ttl or knox_settings.TOKEN_TTL, scope=scope)


def revoke_all(user: AbstractBaseUser) -> int:
    return ApiToken.objects.filter(user=user).delete()[0]


def may_write(request: Request) -> bool:
    """Whether this request's credentials may write at all (its user's role is asked separately).

    A token writes when it is read-write (issued after the second factor for users who need one);
    a browser session writes once its second factor was given, or for users who need none.
    """
    if request.method in SAFE_METHODS:
        return True
    if isinstance(request.auth, ApiToken):
        return request.auth.scope == Scope.READ_WRITE
    return second_factor.passed(request.user)


@functools.cache
def _token_statement() -> tuple[str, list[tuple[type, list[str]]]]:
    """The SELECT of a token key's tokens, each with its user, whom the user acts for (``ApiTokenManager``'s
    ``user__accreditation__party``, absent for most readers) and the names of the user's groups; and, per
    model in the row's order, its model and the attribute names of its columns. The group names come last."""
    quote = connection.ops.quote_name
    user = get_user_model()
    accreditation = user._meta.get_field("accreditation").related_model
    party = accreditation._meta.get_field("party").related_model
    groups = user._meta.get_field("groups")
    through = groups.remote_field.through._meta
    models = [(ApiToken, "t"), (user, "u"), (accreditation, "a"), (party, "p")]
    columns = [f"{alias}.{quote(f.column)}" for model, alias in models for f in model._meta.concrete_fields]

    def key(model, name: str) -> str:
        return quote(model._meta.get_field(name).column)

    def pk(model) -> str:
        return quote(model._meta.pk.column)

    names = (
        f"ARRAY(SELECT g.{quote('name')} FROM {quote(through.db_table)} ug "
        f"JOIN {quote(groups.related_model._meta.db_table)} g ON g.{pk(groups.related_model)} = ug.{quote(groups.m2m_reverse_name())} "
        f"WHERE ug.{quote(groups.m2m_column_name())} = u.{pk(user)})"
    )
    statement = (
        f"SELECT {', '.join(columns)}, {names} FROM {quote(ApiToken._meta.db_table)} t "
        f"JOIN {quote(user._meta.db_table)} u ON u.{pk(user)} = t.{key(ApiToken, 'user')} "
        f"LEFT JOIN {quote(accreditation._meta.db_table)} a ON a.{key(accreditation, 'user')} = u.{pk(user)} "
        f"LEFT JOIN {quote(party._meta.db_table)} p ON p.{pk(party)} = a.{key(accreditation, 'party')} "
        f"WHERE t.{key(ApiToken, 'token_key')} = %s"
    )
    return statement, [(model, [f.attname for f in model._meta.concrete_fields]) for model, _ in models]


def _tokens(key: str) -> list[ApiToken]:
    """The tokens of ``key`` as ``ApiToken.objects`` reads them, each with its user and whom the user acts for,
    in one statement written out once. Each user carries the names of its groups as they were read with the
    token (``group_names``), which its roles are read from."""
    statement, layout = _token_statement()
    with connection.cursor() as cursor:
        cursor.execute(statement, [key])
        rows = cursor.fetchall()
    found = []
    for row in rows:
        objects, start = [], 0
        for model, fields in layout:
            values = row[start : start + len(fields)]
            objects.append(None if values[0] is None else model.from_db(connection.alias, fields, values))
            start += len(fields)
        token, user, accreditation, party = objects
        if accreditation is not None:
            accreditation.party = party
        # As select_related leaves it: None is known to be none, and asked no more.
        user._meta.get_field("accreditation").set_cached_value(user, accreditation)
        user.group_names = frozenset(row[-1])
        token.user = user
        found.append(token)
    return found


class TokenAuthentication(auth.TokenAuthentication):
    def authenticate_credentials(self, token: bytes):
        """knox's check, each of the key's tokens in turn: not expired, its digest the token's, its user active.
        knox reads the tokens and their users through the ORM on every request, which costs more than the rest
        of a read answered from kept answers (bench/load.py); here they come from one statement (``_tokens``)."""
        failed = exceptions.AuthenticationFailed(gettext_lazy("Invalid token."))
        token = token.decode("utf-8")
        for auth_token in _tokens(token[: CONSTANTS.TOKEN_KEY_LENGTH]):
            if self._cleanup_token(auth_token):
                continue
            try:
                digest = hash_token(token)
            except (TypeError, binascii.Error):
                raise failed from None
            if compare_digest(digest, auth_token.digest):
                if knox_settings.AUTO_REFRESH and auth_token.expiry:
                    self.renew_token(auth_token)
                return self.validate_user(auth_token)
        raise failed

    def _cleanup_token(self, auth_token: ApiToken) -> bool:
        # knox deletes expired tokens here, sweeping all the user's tokens on every request, and the 401 that
        # follows rolls the deletion back anyway (ATOMIC_REQUESTS). Refusing is enough; `issue` sweeps them.
        return auth_token.expiry is not None and auth_token.expiry < timezone.now()


@receiver(pre_save, sender=settings.AUTH_USER_MODEL)
def _note_password_change(sender, instance: AbstractBaseUser, update_fields=None, **kwargs) -> None:
    instance._password_changed = False
    if instance.pk is None or (update_fields is not None and "password" not in update_fields):
        return
    stored = sender.objects.filter(pk=instance.pk).values_list("password", flat=True).first()
    # Logging in re-hashes a password whose hasher was upgraded: the same password, kept tokens.
    rehashed = instance._password is not None and stored and check_password(instance._password, stored)
    instance._password_changed = stored is not None and stored != instance.password and not rehashed


@receiver(post_save, sender=settings.AUTH_USER_MODEL)
def _revoke_tokens_on_password_change(sender, instance: AbstractBaseUser, **kwargs) -> None:
    """A new password ends every token of the old one (sessions end by Django's own session hash)."""
    if getattr(instance, "_password_changed", False):
        revoke_all(instance)
